module voiceplat.io/redis-metrics

go 1.24
