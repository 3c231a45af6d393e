"""Each cloud's deploy runner: its bootstrap stack (aws.py, azure.py), and the path each production stack makes to it
(path_aws.py, path_azure.py) before anything that talks to its cluster's private API."""
