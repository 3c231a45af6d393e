module voiceplat.io/git-server

go 1.24
