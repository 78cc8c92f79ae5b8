"""Writes x_squared_data.npz for the x_squared_training example (run with
numpy; the file is committed, this script documents how it was made).

inputs "x": (256, 50, 1) band-limited noise (0 < f <= 10 Hz), scaled to |x| <= 1,
cut into 256 sequences of 50 steps (dt = 1 ms); targets "y": Lowpass(0.01) of
x**2 per sequence, zero-order hold, state 0 at each sequence start.
"""
import numpy as np

rng = np.random.default_rng(7)
n, steps, dt = 256, 50, 0.001
total = n * steps
freqs = np.fft.rfftfreq(total, dt)
coef = rng.normal(size=freqs.size) + 1j * rng.normal(size=freqs.size)
coef[(freqs == 0) | (freqs > 10)] = 0
x = np.fft.irfft(coef, total)
x /= np.abs(x).max()
x = x.reshape(n, steps, 1)
a = np.exp(-dt / 0.01)
y = np.zeros_like(x)
z = np.zeros((n, 1))
for k in range(steps):
    z = a * z + (1 - a) * x[:, k] ** 2
    y[:, k] = z
np.savez("x_squared_data.npz", x=x, y=y)
