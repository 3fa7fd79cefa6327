#!/usr/bin/env python3
"""Export a torchvision ImageNet backbone's state_dict as a NumPy .npz file for captioner.

The .npz holds one float32 array per state_dict key, under torchvision's own key names
(``features.0.weight``, ``layer1.0.downsample.1.running_var``, ...); integer buffers such as
``num_batches_tracked`` are kept as int64 and ignored by the Java loader. The format contains no
pickle, so loading it cannot run code.

  export_torchvision.py --arch resnet50 --out resnet50.npz               # ImageNet weights (internet)
  export_torchvision.py --arch vgg16 --out vgg16.npz --random-seed 7     # seeded random weights, offline
  export_torchvision.py --arch vgg16 --out vgg16.npz --print-keys        # also list key and shape
  export_torchvision.py --arch resnet50 --out r50.pt --torchscript       # traced feature extractor

With --torchscript the output is instead a TorchScript module (torch.jit.trace) that maps a
normalised [N, 3, 224, 224] batch to the penultimate features (VGG-16 fc7 after ReLU, 4096;
ResNet-50 average pool, 2048), for captioner's generic TorchScript encoder.

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


class Penultimate(torch.nn.Module):
    """torchvision's network up to its penultimate layer (what captioner uses as image features)."""

    def __init__(self, arch, model):
        super().__init__()
        self.arch = arch
        self.model = model

    def forward(self, x):
        m = self.model
        if self.arch == "vgg16":
            return m.classifier[:5](torch.flatten(m.avgpool(m.features(x)), 1))
        x = m.maxpool(m.relu(m.bn1(m.conv1(x))))
        x = m.layer4(m.layer3(m.layer2(m.layer1(x))))
        return torch.flatten(m.avgpool(x), 1)


def atomic_path(out):
    """Returns a temporary file next to out, with normal permissions."""
    directory = os.path.dirname(os.path.abspath(out))
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=os.path.splitext(out)[1], dir=directory)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the file normal permissions
    return tmp


def save_torchscript(arch, model, out):
    """Traces the penultimate-feature extractor and writes it atomically."""
    traced = torch.jit.trace(Penultimate(arch, model).eval(), torch.zeros(1, 3, 224, 224))
    tmp = atomic_path(out)
    try:
        traced.save(tmp)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def save_npz(state_dict, out):
    """Writes the state_dict atomically: float tensors as float32, integer buffers as int64."""
    arrays = {}
    for key, tensor in state_dict.items():
        t = tensor.detach().cpu()
        if t.is_floating_point():
            arrays[key] = np.ascontiguousarray(t.to(torch.float32).numpy())
        else:
            arrays[key] = np.ascontiguousarray(t.to(torch.int64).numpy())
    tmp = atomic_path(out)
    try:
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)
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
    parser.add_argument("--torchscript", action="store_true",
                        help="write a traced penultimate-feature module (.pt) instead of a .npz")
    args = parser.parse_args(argv)
    model = build(args.arch, args.random_seed)
    if args.torchscript:
        save_torchscript(args.arch, model, args.out)
        print("wrote %s: %s TorchScript feature extractor, torch %s" % (args.out, args.arch, torch.__version__),
              file=sys.stderr)
        return 0
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
