"""Cluster add-ons the cloud manages, and the cloud identities the add-ons run as."""
