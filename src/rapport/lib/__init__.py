"""Small framework-free helpers. Nothing here imports Django or the apps."""
