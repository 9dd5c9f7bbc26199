"""The signed-in home page, made of panels that each area of the tracker contributes."""
