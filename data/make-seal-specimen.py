#!/usr/bin/python3
"""Draws data/seal-specimen.png: the specimen seal of the sample reports.

A red ring with a five-pointed star and the characters 样章 ("specimen")
on a transparent background -- deliberately no unit's name, so it can
never pass for a real seal.  600 x 600 pixels (42 mm at about 360 dpi).

    /usr/bin/python3 data/make-seal-specimen.py [OUT.png]

Needs python3-pil (Debian) and the WenQuanYi Zen Hei font
(fonts-wqy-zenhei).  The output is the same for the same Pillow and font.
"""
import math
import sys

from PIL import Image, ImageDraw, ImageFont

SIZE = 600
RED = (214, 24, 32, 255)
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def star(cx, cy, r_out, r_in):
    """The ten corners of a five-pointed star, a point upwards."""
    pts = []
    for k in range(10):
        r = r_out if k % 2 == 0 else r_in
        a = math.pi / 2 + k * math.pi / 5
        pts.append((cx + r * math.cos(a), cy - r * math.sin(a)))
    return pts


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "data/seal-specimen.png"
    img = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    c = SIZE / 2
    ring = 22  # the ring's width, px
    d.ellipse((ring / 2, ring / 2, SIZE - ring / 2, SIZE - ring / 2),
              outline=RED, width=ring)
    d.polygon(star(c, c - 40, 105, 105 * 0.382), fill=RED)
    font = ImageFont.truetype(FONT, 120, index=0)
    text = "样章"
    box = d.textbbox((0, 0), text, font=font, stroke_width=3)
    w, h = box[2] - box[0], box[3] - box[1]
    d.text((c - w / 2 - box[0], c + 95 - box[1]), text, font=font, fill=RED,
           stroke_width=3, stroke_fill=RED)
    # the ink of a small seal mark: a thin inner ring
    d.ellipse((52, 52, SIZE - 52, SIZE - 52), outline=RED, width=4)
    img.save(out, optimize=True)


if __name__ == "__main__":
    main()
