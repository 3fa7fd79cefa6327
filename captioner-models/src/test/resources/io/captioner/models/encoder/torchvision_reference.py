"""Reference side of the parity tests: runs torchvision on inputs written by the Java tests.

  network  --arch A --weights IN.npz --perturbed OUT.npz --seed N --input X.npy --out DIR
      Loads IN.npz (written by scripts/export_torchvision.py) into torchvision's model, replaces
      every BatchNorm's weight, bias, running_mean and running_var with seeded non-trivial values
      (fresh torchvision models have 1, 0, 0, 1, which would hide a wrong mapping), saves the
      result to OUT.npz, and writes DIR/vector.npy and DIR/spatial.npy for the normalised batch X.
  preprocess --images A.png B.png ... --out DIR
      Writes DIR/tensor.npy [N, 3, 224, 224]: torchvision's eval transform (Resize(256, bilinear,
      antialias=True), CenterCrop(224), scale to [0, 1], Normalize) applied to each image's decoded
      uint8 pixels as a tensor, and DIR/pil.npy: the same transform applied to the PIL image.
"""
import argparse
import os
import sys

import numpy as np
import torch
import torchvision
from torchvision import transforms

MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)


def network(args):
    model = getattr(torchvision.models, args.arch)(weights=None).eval()
    with np.load(args.weights) as z:
        state = {k: torch.from_numpy(z[k]) for k in z.files}
    model.load_state_dict(state, strict=True)
    g = torch.Generator().manual_seed(args.seed)
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            c = m.num_features
            m.weight.data = 0.5 + torch.rand(c, generator=g)
            m.bias.data = 0.2 * torch.randn(c, generator=g)
            m.running_mean.data = 0.2 * torch.randn(c, generator=g)
            m.running_var.data = 0.5 + torch.rand(c, generator=g)
    np.savez(args.perturbed, **{k: v.detach().numpy() for k, v in model.state_dict().items()})
    x = torch.from_numpy(np.load(args.input))
    with torch.no_grad():
        if args.arch == "vgg16":
            spatial = model.features[:30](x)
            pooled = model.avgpool(model.features[30](spatial))
            vector = model.classifier[:5](torch.flatten(pooled, 1))
        else:
            y = model.maxpool(model.relu(model.bn1(model.conv1(x))))
            spatial = model.layer4(model.layer3(model.layer2(model.layer1(y))))
            vector = torch.flatten(model.avgpool(spatial), 1)
    np.save(os.path.join(args.out, "vector.npy"), vector.numpy())
    np.save(os.path.join(args.out, "spatial.npy"), spatial.numpy())
    if args.images:
        tensor_batch, pil_batch = transform(args.images)
        with torch.no_grad():
            for name, batch in (("image_vector.npy", tensor_batch), ("image_vector_pil.npy", pil_batch)):
                if args.arch == "vgg16":
                    v = model.classifier[:5](torch.flatten(model.avgpool(model.features(batch)), 1))
                else:
                    v = torch.flatten(model.avgpool(model.layer4(model.layer3(model.layer2(model.layer1(
                        model.maxpool(model.relu(model.bn1(model.conv1(batch))))))))), 1)
                np.save(os.path.join(args.out, name), v.numpy())


def transform(images):
    """Returns torchvision's eval transform of each image as [N, 3, 224, 224]: tensor path, PIL path."""
    from PIL import Image
    tensor_tf = transforms.Compose([
        transforms.Resize(256, interpolation=transforms.InterpolationMode.BILINEAR, antialias=True),
        transforms.CenterCrop(224),
        transforms.ConvertImageDtype(torch.float32),
        transforms.Normalize(MEAN, STD),
    ])
    pil_tf = transforms.Compose([
        transforms.Resize(256, interpolation=transforms.InterpolationMode.BILINEAR),
        transforms.CenterCrop(224),
        transforms.ToTensor(),
        transforms.Normalize(MEAN, STD),
    ])
    tensors, pils = [], []
    for path in images:
        img = Image.open(path).convert("RGB")
        pixels = torch.from_numpy(np.asarray(img, dtype=np.uint8).copy()).permute(2, 0, 1).contiguous()
        tensors.append(tensor_tf(pixels))
        pils.append(pil_tf(img))
    return torch.stack(tensors), torch.stack(pils)


def preprocess(args):
    tensors, pils = transform(args.images)
    np.save(os.path.join(args.out, "tensor.npy"), tensors.numpy())
    np.save(os.path.join(args.out, "pil.npy"), pils.numpy())


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    n = sub.add_parser("network")
    n.add_argument("--arch", required=True)
    n.add_argument("--weights", required=True)
    n.add_argument("--perturbed", required=True)
    n.add_argument("--seed", type=int, default=0)
    n.add_argument("--input", required=True)
    n.add_argument("--out", required=True)
    n.add_argument("--images", nargs="*", default=[])
    q = sub.add_parser("preprocess")
    q.add_argument("--images", nargs="+", required=True)
    q.add_argument("--out", required=True)
    args = p.parse_args()
    torch.set_num_threads(2)
    network(args) if args.cmd == "network" else preprocess(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
