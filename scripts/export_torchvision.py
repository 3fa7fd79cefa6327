#!/usr/bin/env python3
"""Export a torchvision ImageNet backbone's state_dict as a NumPy .npz file for captioner.

The .npz holds one float32 array per state_dict key, under torchvision's own key names
(``features.0.weight``, ``layer1.0.downsample.1.running_var``, ...); integer buffers such as
``num_batches_tracked`` are kept as int64 and ignored by the Java loader. The format contains no
pickle, so loading it cannot run code.

  export_torchvision.py --arch resnet50 --out resnet50.npz               # ImageNet weights (internet)
  export_torchvision.py --arch vgg16 --out vgg16.npz --random-seed 7     # seeded random weights, offline
  export_torchvision.py --arch vgg16 --out vgg16.npz --print-keys        # also list key and shape

Works with torchvision >= 0.13 (``weights=``) and older releases (``pretrained=``).
"""
import argparse
import os
import sys
import tempfile

import numpy as np
import torch
import torchvision

ARCHS = ("vgg16", "resnet50")


def build(arch, random_seed):
    """Returns torchvision's model in eval mode, pretrained unless a random seed is given."""
    ctor = getattr(torchvision.models, arch)
    if random_seed is not None:
        torch.manual_seed(random_seed)
        try:
            model = ctor(weights=None)
        except TypeError:  # torchvision < 0.13
            model = ctor(pretrained=False)
    else:
        try:
            enum_name = {"vgg16": "VGG16_Weights", "resnet50": "ResNet50_Weights"}[arch]
            weights = getattr(torchvision.models, enum_name).DEFAULT
            model = ctor(weights=weights)
        except AttributeError:  # torchvision < 0.13 has no weight enums
            model = ctor(pretrained=True)
    return model.eval()


def save_npz(state_dict, out):
    """Writes the state_dict atomically: float tensors as float32, integer buffers as int64."""
    arrays = {}
    for key, tensor in state_dict.items():
        t = tensor.detach().cpu()
        if t.is_floating_point():
            arrays[key] = np.ascontiguousarray(t.to(torch.float32).numpy())
        else:
            arrays[key] = np.ascontiguousarray(t.to(torch.int64).numpy())
    directory = os.path.dirname(os.path.abspath(out))
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".npz", dir=directory)
    os.close(fd)
    try:
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the file normal permissions
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return arrays


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", required=True, choices=ARCHS)
    parser.add_argument("--out", required=True, help="destination .npz file")
    parser.add_argument("--random-seed", type=int, default=None,
                        help="build with weights=None after torch.manual_seed(N) instead of downloading")
    parser.add_argument("--print-keys", action="store_true", help="print 'key<TAB>shape' for every array")
    args = parser.parse_args(argv)
    model = build(args.arch, args.random_seed)
    arrays = save_npz(model.state_dict(), args.out)
    if args.print_keys:
        for key, a in arrays.items():
            print(key + "\t" + ",".join(str(d) for d in a.shape))
    source = "random seed %d" % args.random_seed if args.random_seed is not None else "ImageNet weights"
    print("wrote %s: %s %s, %d arrays, torch %s, torchvision %s"
          % (args.out, args.arch, source, len(arrays), torch.__version__, torchvision.__version__), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
