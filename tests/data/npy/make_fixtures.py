#!/usr/bin/python3
"""Writes the numpy-made fixtures that tests/test_npy.cpp and test_params.cpp read.

Not run by the tests: the files are committed and the test hard-codes these
values (np.arange and literals, so a rerun gives the same). Needs numpy:
/usr/bin/python3 tests/data/npy/make_fixtures.py
"""
import os
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


def npz_arrays():
    # Insertion order is the member order in the archive; one key has a '/'.
    return {
        "weights": np.arange(6, dtype=np.float64).reshape(2, 3) / 8,
        "A/encoders": np.array([[1, 0], [0, -1]], dtype=np.float32),
        "count": np.array(3, dtype=np.int32),
    }


def main():
    np.save(path("float32_c_2d.npy"), np.arange(12, dtype=np.float32).reshape(3, 4) / 4 - 1)
    fortran = np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3) * 1.5 - 2)
    assert fortran.flags.f_contiguous and not fortran.flags.c_contiguous
    np.save(path("float64_fortran_2d.npy"), fortran)
    np.save(path("int16_big_1d.npy"), np.array([-300, -1, 0, 1, 300, 32767, -32768], dtype=">i2"))
    np.save(path("uint8_3d.npy"), (np.arange(24).reshape(2, 3, 4) * 10 + 5).astype(np.uint8))
    np.save(path("bool_1d.npy"), np.array([True, False, False, True, True]))
    np.save(path("scalar_0d.npy"), np.array(-0.125))
    with open(path("version3_1d.npy"), "wb") as f:
        np.lib.format.write_array(f, np.arange(3, dtype="<f8") + 0.5, version=(3, 0))
    np.savez(path("savez.npz"), **npz_arrays())
    np.savez_compressed(path("savez_compressed.npz"), **npz_arrays())
    # Not what np.savez writes: one member is not an .npy array.
    with zipfile.ZipFile(path("not_npy_member.npz"), "w") as z:
        z.write(path("scalar_0d.npy"), "x.npy")
        z.writestr("notes.txt", "not an array\n")
    np.savez(path("complex_member.npz"), good=np.arange(2.0), bad=np.array([1 + 2j]))
    # A member whose header declares 2**96 elements but holds one.
    huge = b"{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }"
    huge += b" " * (63 - (10 + len(huge)) % 64) + b"\n"
    with zipfile.ZipFile(path("huge_shape_member.npz"), "w") as z:
        z.writestr("hidden/encoders.npy", b"\x93NUMPY\x01\x00" + len(huge).to_bytes(2, "little") + huge + bytes(8))


if __name__ == "__main__":
    main()
