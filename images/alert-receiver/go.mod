module voiceplat.io/alert-receiver

go 1.24
