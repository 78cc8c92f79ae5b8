"""Checks `neuroloom-cli export --format nengo` against real Nengo, by hand.

Nengo is not installed where the tests run, so this is not a CTest test. For
each project it exports the Nengo script, runs it with this interpreter (which
needs numpy and nengo 4.0 importable) and `neuroloom-cli simulate`, and prints
each probe's largest difference. Spike trains (unfiltered neuron outputs of
LIF and SpikingRectifiedLinear ensembles) must be identical and every other
probe within --tolerance; the exit status says whether they were.

    PYTHONPATH=/path/to/nengo python3 tests/compare_nengo_export.py \
        build/app/neuroloom-cli resources/examples/*.nlproj
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

SPIKING = {"LIF", "SpikingRectifiedLinear"}


def walk(network):
    yield network
    for sub in network.get("subnetworks", []):
        yield from walk(sub)


def spike_probe_keys(project):
    """npz keys of the probes that record spike trains (compared exactly)."""
    networks = list(walk(project["network"]))
    spiking = {
        e["id"]
        for n in networks
        for e in n.get("ensembles", [])
        if e.get("neuron_type", {"type": "LIF"})["type"] in SPIKING
    }
    keys, used = set(), set()
    for p in (p for n in networks for p in n.get("probes", [])):
        key = p.get("label") or p["id"]  # the key rule of core::probeArrays
        key = f"{key} ({p['id']})" if key in used else key
        used.add(key)
        target = p["target"]
        if (
            target.endswith(".neurons")
            and target[: -len(".neurons")] in spiking
            and p.get("attr", "output") == "output"
            and p.get("synapse") is None
        ):
            keys.add(key)
    return keys


def compare(cli, project_path, folder, tolerance):
    with open(project_path) as f:
        spikes = spike_probe_keys(json.load(f))
    script = os.path.join(folder, "model.py")
    ours, nengos = os.path.join(folder, "neuroloom.npz"), os.path.join(folder, "nengo.npz")
    run = dict(check=True, stdout=subprocess.DEVNULL)
    subprocess.run([cli, "export", project_path, "--format", "nengo", "--out", script], **run)
    subprocess.run([cli, "simulate", project_path, "--out", ours], **run)
    subprocess.run([sys.executable, "-W", "ignore", script, "--out", nengos], **run)
    a, b = np.load(ours), np.load(nengos)
    if sorted(a.files) != sorted(b.files):
        print(f"  probe keys differ: {sorted(a.files)} vs {sorted(b.files)}")
        return False
    good = True
    for key in a.files:
        x, y = a[key], b[key]
        if x.shape != y.shape:
            print(f"  {key!r}: shape {x.shape} vs {y.shape}")
            good = False
            continue
        diff = np.abs(x - y).max(initial=0.0)
        if key in spikes:
            ok = np.array_equal(x, y)
            note = "spikes identical" if ok else f"{np.count_nonzero(x != y)} spike entries differ"
        else:
            ok = diff <= tolerance
            note = f"max |value| {np.abs(x).max(initial=0.0):.3g}"
        good &= ok
        print(f"  {key!r:32} {str(x.shape):18} max |diff| {diff:.3e}  {note}{'' if ok else '  FAIL'}")
    return good


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cli", help="the neuroloom-cli executable")
    parser.add_argument("projects", nargs="+", help=".nlproj files")
    parser.add_argument("--tolerance", type=float, default=1e-9, help="largest difference allowed (not spikes)")
    args = parser.parse_args()
    good = True
    for path in args.projects:
        print(path)
        with tempfile.TemporaryDirectory() as folder:
            good &= compare(os.path.abspath(args.cli), path, folder, args.tolerance)
    sys.exit(0 if good else 1)


if __name__ == "__main__":
    main()
