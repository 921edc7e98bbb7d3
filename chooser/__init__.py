"""chooser: PyTorch or TensorFlow — for me, on this machine?"""

__version__ = "0.1.0"
