"""Container registries the clusters pull the platform's images from."""
