"""The network of an environment: one construct per cloud (aws.py, azure.py), imported only when used."""
