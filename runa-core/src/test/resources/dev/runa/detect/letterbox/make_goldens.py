#!/usr/bin/python3
"""Golden letterbox pixels for dev.runa.detect.LetterboxGoldenTest.

Made once with Debian's python3-opencv (apt-get install -y python3-opencv); runa never runs Python.
The letterbox below is Ultralytics' LetterBox (auto=False, center=True, scaleup=True, pad 114),
written out so the goldens need no Ultralytics install. Sources are deterministic noise plus
gradients, so every rounding rule of cv2.resize(INTER_LINEAR) is exercised.
Run from this folder with the system Python: /usr/bin/python3 make_goldens.py (OpenCV 4.6.0 made these)
"""
import cv2
import numpy as np

# (source w, h, input w, h): down, up, exact 2x (OpenCV's INTER_AREA shortcut), odd padding, non-square input.
CASES = [(37, 23, 32, 32), (50, 30, 64, 64), (64, 40, 32, 32), (31, 47, 48, 40), (100, 75, 64, 64), (20, 20, 64, 64)]


def source(w, h, seed):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([x * 255 // max(w - 1, 1), y * 255 // max(h - 1, 1), (x + y) * 7 % 256], axis=-1)
    noise = rng.integers(0, 256, size=(h, w, 3))
    return np.where(rng.random((h, w, 1)) < 0.5, base, noise).astype(np.uint8)


def letterbox(img, new_shape):
    shape = img.shape[:2]  # h, w
    r = min(new_shape[0] / shape[0], new_shape[1] / shape[1])
    new_unpad = int(round(shape[1] * r)), int(round(shape[0] * r))
    dw, dh = new_shape[1] - new_unpad[0], new_shape[0] - new_unpad[1]
    dw /= 2
    dh /= 2
    if shape[::-1] != new_unpad:
        img = cv2.resize(img, new_unpad, interpolation=cv2.INTER_LINEAR)
    top, bottom = int(round(dh - 0.1)), int(round(dh + 0.1))
    left, right = int(round(dw - 0.1)), int(round(dw + 0.1))
    return cv2.copyMakeBorder(img, top, bottom, left, right, cv2.BORDER_CONSTANT, value=(114, 114, 114))


for i, (w, h, iw, ih) in enumerate(CASES):
    src = source(w, h, i)
    # Files are RGB on disk (PNG); OpenCV works in BGR, so convert around the letterbox as Ultralytics does.
    cv2.imwrite(f"src_{i}.png", cv2.cvtColor(src, cv2.COLOR_RGB2BGR))
    out = letterbox(cv2.cvtColor(src, cv2.COLOR_RGB2BGR), (ih, iw))
    cv2.imwrite(f"golden_{i}_{iw}x{ih}.png", out)
print("opencv", cv2.__version__)
