# d2l 2.2 Data Preprocessing (the file goes to a temporary folder instead of ../data)
import os
import tempfile

import pandas as pd
import torch

data_file = os.path.join(tempfile.mkdtemp(), 'house_tiny.csv')
with open(data_file, 'w') as f:
    f.write('''NumRooms,RoofType,Price
NA,NA,127500
2,NA,106000
4,Slate,178100
NA,NA,140000''')
data = pd.read_csv(data_file)
inputs, targets = data.iloc[:, 0:2], data.iloc[:, 2]
inputs = pd.get_dummies(inputs, dummy_na=True)
inputs = inputs.fillna(inputs.mean())
X = torch.tensor(inputs.to_numpy(dtype=float))
y = torch.tensor(targets.to_numpy(dtype=float))

RESULTS = {"X": X, "y": y, "dtype": str(X.dtype).replace("torch.", "")}
