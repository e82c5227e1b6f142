//! A tiny raster painter for the demo's pictures: gradients and anti-aliased shapes described by
//! signed distance functions. Enough for pleasant, deterministic illustrations; no text.
//!
//! Only `+ - * /` and `sqrt` are used (all exactly rounded in IEEE 754), so the same picture comes
//! out bit for bit on every platform, and with it the same asset hashes.

use image::{RgbImage, RgbaImage};

/// A colour with components in 0..=255; f32 so that blending stays smooth.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Colour(pub [f32; 3]);

impl Colour {
    pub const WHITE: Colour = Colour([255.0, 255.0, 255.0]);
    pub const BLACK: Colour = Colour([0.0, 0.0, 0.0]);

    /// `0xrrggbb`.
    pub const fn hex(rgb: u32) -> Colour {
        Colour([
            ((rgb >> 16) & 0xff) as f32,
            ((rgb >> 8) & 0xff) as f32,
            (rgb & 0xff) as f32,
        ])
    }

    /// `#rrggbb` as written in tracks.
    pub fn parse(text: &str) -> Option<Colour> {
        let digits = text.strip_prefix('#')?;
        if digits.len() != 6 {
            return None;
        }
        u32::from_str_radix(digits, 16).ok().map(Colour::hex)
    }

    /// `self` moved towards `other` by `t` (0 = self, 1 = other).
    pub fn mix(self, other: Colour, t: f32) -> Colour {
        let [a, b, c] = self.0;
        let [x, y, z] = other.0;
        Colour([a + (x - a) * t, b + (y - b) * t, c + (z - c) * t])
    }

    pub fn lighter(self, t: f32) -> Colour {
        self.mix(Colour::WHITE, t)
    }

    pub fn darker(self, t: f32) -> Colour {
        self.mix(Colour::BLACK, t)
    }
}

/// A filled shape, in pixel coordinates (pixel centres are at `x + 0.5`).
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    Disc {
        cx: f32,
        cy: f32,
        r: f32,
    },
    Ellipse {
        cx: f32,
        cy: f32,
        rx: f32,
        ry: f32,
    },
    /// A circle outline of the given thickness.
    Ring {
        cx: f32,
        cy: f32,
        r: f32,
        thickness: f32,
    },
    RoundedRect {
        x0: f32,
        y0: f32,
        x1: f32,
        y1: f32,
        radius: f32,
    },
    /// A triangle (either winding).
    Triangle([(f32, f32); 3]),
}

impl Shape {
    pub fn rect(x0: f32, y0: f32, x1: f32, y1: f32) -> Shape {
        Shape::RoundedRect {
            x0,
            y0,
            x1,
            y1,
            radius: 0.0,
        }
    }

    pub fn rounded(x0: f32, y0: f32, x1: f32, y1: f32, radius: f32) -> Shape {
        Shape::RoundedRect {
            x0,
            y0,
            x1,
            y1,
            radius,
        }
    }

    /// Distance from the shape's edge: negative inside, positive outside (approximate for
    /// ellipses and triangle corners, which only affects the anti-aliased fringe).
    fn distance(&self, x: f32, y: f32) -> f32 {
        match *self {
            Shape::Disc { cx, cy, r } => length(x - cx, y - cy) - r,
            Shape::Ellipse { cx, cy, rx, ry } => {
                let (dx, dy) = ((x - cx) / rx, (y - cy) / ry);
                (length(dx, dy) - 1.0) * rx.min(ry)
            }
            Shape::Ring {
                cx,
                cy,
                r,
                thickness,
            } => (length(x - cx, y - cy) - r).abs() - thickness / 2.0,
            Shape::RoundedRect {
                x0,
                y0,
                x1,
                y1,
                radius,
            } => {
                let radius = radius.min((x1 - x0) / 2.0).min((y1 - y0) / 2.0).max(0.0);
                let qx = (x - (x0 + x1) / 2.0).abs() - (x1 - x0) / 2.0 + radius;
                let qy = (y - (y0 + y1) / 2.0).abs() - (y1 - y0) / 2.0 + radius;
                length(qx.max(0.0), qy.max(0.0)) + qx.max(qy).min(0.0) - radius
            }
            Shape::Triangle(points) => {
                let [a, b, c] = points;
                let area = (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0);
                let sign = if area < 0.0 { -1.0 } else { 1.0 };
                [(a, b), (b, c), (c, a)]
                    .iter()
                    .map(|&(p, q)| {
                        let (ex, ey) = (q.0 - p.0, q.1 - p.1);
                        let len = length(ex, ey).max(f32::EPSILON);
                        // Positive on the outer side of the edge.
                        -sign * (ex * (y - p.1) - ey * (x - p.0)) / len
                    })
                    .fold(f32::MIN, f32::max)
            }
        }
    }

    /// The same shape with every coordinate multiplied by `factor`.
    fn scaled(self, factor: f32) -> Shape {
        if factor == 1.0 {
            return self;
        }
        let k = factor;
        match self {
            Shape::Disc { cx, cy, r } => Shape::Disc {
                cx: cx * k,
                cy: cy * k,
                r: r * k,
            },
            Shape::Ellipse { cx, cy, rx, ry } => Shape::Ellipse {
                cx: cx * k,
                cy: cy * k,
                rx: rx * k,
                ry: ry * k,
            },
            Shape::Ring {
                cx,
                cy,
                r,
                thickness,
            } => Shape::Ring {
                cx: cx * k,
                cy: cy * k,
                r: r * k,
                thickness: thickness * k,
            },
            Shape::RoundedRect {
                x0,
                y0,
                x1,
                y1,
                radius,
            } => Shape::RoundedRect {
                x0: x0 * k,
                y0: y0 * k,
                x1: x1 * k,
                y1: y1 * k,
                radius: radius * k,
            },
            Shape::Triangle(points) => Shape::Triangle(points.map(|(x, y)| (x * k, y * k))),
        }
    }

    /// Pixel rows and columns the shape may touch (half-open, unclipped).
    fn bounds(&self) -> (f32, f32, f32, f32) {
        let (x0, y0, x1, y1) = match *self {
            Shape::Disc { cx, cy, r } => (cx - r, cy - r, cx + r, cy + r),
            Shape::Ellipse { cx, cy, rx, ry } => (cx - rx, cy - ry, cx + rx, cy + ry),
            Shape::Ring {
                cx,
                cy,
                r,
                thickness,
            } => {
                let outer = r + thickness / 2.0;
                (cx - outer, cy - outer, cx + outer, cy + outer)
            }
            Shape::RoundedRect { x0, y0, x1, y1, .. } => (x0, y0, x1, y1),
            Shape::Triangle(points) => points.iter().fold(
                (f32::MAX, f32::MAX, f32::MIN, f32::MIN),
                |(a, b, c, d), &(x, y)| (a.min(x), b.min(y), c.max(x), d.max(y)),
            ),
        };
        (x0 - 1.0, y0 - 1.0, x1 + 1.0, y1 + 1.0)
    }
}

fn length(x: f32, y: f32) -> f32 {
    (x * x + y * y).sqrt()
}

/// Premultiplied RGBA pixels in f32, composited with "over".
///
/// Drawing coordinates are in the canvas's nominal size; a canvas made with [`Canvas::scaled`]
/// holds fewer pixels than that (for pictures that are enlarged afterwards).
pub struct Canvas {
    width: u32,
    height: u32,
    scale: f32,
    pixels: Vec<[f32; 4]>,
}

impl Canvas {
    /// A canvas filled with `background` at `opacity` (0 = transparent).
    pub fn new(width: u32, height: u32, background: Colour, opacity: f32) -> Canvas {
        Canvas::scaled(width, height, 1.0, background, opacity)
    }

    /// A canvas of nominal size `width` x `height` stored at `scale` times that many pixels.
    pub fn scaled(width: u32, height: u32, scale: f32, background: Colour, opacity: f32) -> Canvas {
        let [r, g, b] = background.0;
        let pixel = [r * opacity, g * opacity, b * opacity, opacity];
        let (width_px, height_px) = (
            ((width as f32 * scale) as u32).max(1),
            ((height as f32 * scale) as u32).max(1),
        );
        Canvas {
            width: width_px,
            height: height_px,
            scale,
            pixels: vec![pixel; width_px as usize * height_px as usize],
        }
    }

    /// Nominal width.
    pub fn width(&self) -> f32 {
        self.width as f32 / self.scale
    }

    /// Nominal height.
    pub fn height(&self) -> f32 {
        self.height as f32 / self.scale
    }

    /// Opaque vertical gradient over whole rows `y0..y1`.
    pub fn vertical_gradient(&mut self, y0: f32, y1: f32, top: Colour, bottom: Colour) {
        let (y0, y1) = (y0 * self.scale, y1 * self.scale);
        let (first, last) = (self.clip_y(y0), self.clip_y(y1));
        let width = self.width as usize;
        for y in first..last {
            let t = ((y as f32 + 0.5 - y0) / (y1 - y0).max(1.0)).clamp(0.0, 1.0);
            let [r, g, b] = top.mix(bottom, t).0;
            let row = &mut self.pixels[y * width..(y + 1) * width];
            row.fill([r, g, b, 1.0]);
        }
    }

    /// Fills `shape` with one colour. Convex shapes are filled row by row: the distance is only
    /// evaluated at the anti-aliased edges, the inside is filled directly (debug builds draw the
    /// demo's pictures an order of magnitude faster this way).
    pub fn fill(&mut self, shape: Shape, colour: Colour, opacity: f32) {
        if matches!(shape, Shape::Ring { .. }) {
            self.fill_shaded(shape, opacity, |_, _| colour);
            return;
        }
        let shape = shape.scaled(self.scale);
        let (bx0, by0, bx1, by1) = shape.bounds();
        let (first, last) = (self.clip_x(bx0), self.clip_x(bx1));
        let width = self.width as usize;
        for y in self.clip_y(by0)..self.clip_y(by1) {
            let py = y as f32 + 0.5;
            let coverage = |x: usize| (0.5 - shape.distance(x as f32 + 0.5, py)).clamp(0.0, 1.0);
            // Edge from the left until fully inside.
            let mut inner_start = last;
            for x in first..last {
                let c = coverage(x);
                if c >= 1.0 {
                    inner_start = x;
                    break;
                }
                if c > 0.0 {
                    self.blend(x, y, colour, c * opacity);
                }
            }
            if inner_start == last {
                continue;
            }
            // Edge from the right until fully inside.
            let mut inner_end = inner_start + 1;
            for x in (inner_start + 1..last).rev() {
                let c = coverage(x);
                if c >= 1.0 {
                    inner_end = x + 1;
                    break;
                }
                if c > 0.0 {
                    self.blend(x, y, colour, c * opacity);
                }
            }
            if opacity >= 1.0 {
                let [r, g, b] = colour.0;
                self.pixels[y * width + inner_start..y * width + inner_end].fill([r, g, b, 1.0]);
            } else {
                for x in inner_start..inner_end {
                    self.blend(x, y, colour, opacity);
                }
            }
        }
    }

    /// Fills `shape` with a colour computed per pixel (for gradients inside a shape).
    pub fn fill_shaded(&mut self, shape: Shape, opacity: f32, shade: impl Fn(f32, f32) -> Colour) {
        let shape = shape.scaled(self.scale);
        let unscale = 1.0 / self.scale;
        let (bx0, by0, bx1, by1) = shape.bounds();
        let (cols, rows) = (
            self.clip_x(bx0)..self.clip_x(bx1),
            self.clip_y(by0)..self.clip_y(by1),
        );
        for y in rows {
            let py = y as f32 + 0.5;
            for x in cols.clone() {
                let px = x as f32 + 0.5;
                let coverage = (0.5 - shape.distance(px, py)).clamp(0.0, 1.0);
                if coverage > 0.0 {
                    self.blend(x, y, shade(px * unscale, py * unscale), coverage * opacity);
                }
            }
        }
    }

    /// A soft light: full `strength` at the centre, fading to nothing at `radius`.
    pub fn glow(&mut self, cx: f32, cy: f32, radius: f32, colour: Colour, strength: f32) {
        let (cx, cy, radius) = (cx * self.scale, cy * self.scale, radius * self.scale);
        let r2 = radius * radius;
        for y in self.clip_y(cy - radius)..self.clip_y(cy + radius + 1.0) {
            let dy = y as f32 + 0.5 - cy;
            if dy * dy >= r2 {
                continue;
            }
            // Only the chord of the circle on this row is lit.
            let half = (r2 - dy * dy).sqrt();
            for x in self.clip_x(cx - half)..self.clip_x(cx + half + 1.0) {
                let dx = x as f32 + 0.5 - cx;
                let falloff = 1.0 - (dx * dx + dy * dy) / r2;
                if falloff > 0.0 {
                    self.blend(x, y, colour, strength * falloff * falloff);
                }
            }
        }
    }

    fn blend(&mut self, x: usize, y: usize, colour: Colour, alpha: f32) {
        let index = y * self.width as usize + x;
        let [r, g, b] = colour.0;
        let pixel = &mut self.pixels[index];
        let keep = 1.0 - alpha;
        *pixel = [
            r * alpha + pixel[0] * keep,
            g * alpha + pixel[1] * keep,
            b * alpha + pixel[2] * keep,
            alpha + pixel[3] * keep,
        ];
    }

    fn clip_x(&self, x: f32) -> usize {
        x.floor().clamp(0.0, self.width as f32) as usize
    }

    fn clip_y(&self, y: f32) -> usize {
        y.floor().clamp(0.0, self.height as f32) as usize
    }

    /// The picture on white (for JPEG, which has no transparency).
    pub fn to_rgb(&self) -> RgbImage {
        let mut out = RgbImage::new(self.width, self.height);
        // Plain indexing over the raw bytes: the image crate's pixel iterators are generic and
        // therefore unoptimised in a debug build of this crate.
        let raw: &mut [u8] = &mut out;
        for (i, &[r, g, b, a]) in self.pixels.iter().enumerate() {
            let white = 255.0 * (1.0 - a);
            raw[3 * i] = to_u8(r + white);
            raw[3 * i + 1] = to_u8(g + white);
            raw[3 * i + 2] = to_u8(b + white);
        }
        out
    }

    pub fn to_rgba(&self) -> RgbaImage {
        let mut out = RgbaImage::new(self.width, self.height);
        let raw: &mut [u8] = &mut out;
        for (i, &[r, g, b, a]) in self.pixels.iter().enumerate() {
            if a > 0.0 {
                raw[4 * i] = to_u8(r / a);
                raw[4 * i + 1] = to_u8(g / a);
                raw[4 * i + 2] = to_u8(b / a);
                raw[4 * i + 3] = to_u8(a * 255.0);
            }
        }
        out
    }
}

/// Rounds to the nearest byte; `as` saturates, so out-of-range values clamp to 0 or 255.
fn to_u8(value: f32) -> u8 {
    (value + 0.5) as u8
}

/// A small deterministic random source (SplitMix64), seeded from a name, so every picture is
/// reproducible without depending on a crate's generator staying the same across versions.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: &str) -> Dice {
        // FNV-1a of the seed text.
        let hash = seed.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        Dice(hash)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0.0..1.0`.
    pub fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    pub fn range(&mut self, low: f32, high: f32) -> f32 {
        low + (high - low) * self.unit()
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_cover_inside_and_leave_outside() {
        let mut canvas = Canvas::new(20, 20, Colour::WHITE, 1.0);
        canvas.fill(
            Shape::Disc {
                cx: 10.0,
                cy: 10.0,
                r: 5.3,
            },
            Colour::BLACK,
            1.0,
        );
        canvas.fill(
            Shape::Triangle([(0.0, 0.0), (6.0, 0.0), (0.0, 6.0)]),
            Colour::hex(0xff0000),
            1.0,
        );
        let image = canvas.to_rgb();
        assert_eq!(image.get_pixel(10, 10).0, [0, 0, 0]);
        assert_eq!(image.get_pixel(18, 18).0, [255, 255, 255]);
        assert_eq!(image.get_pixel(1, 1).0, [255, 0, 0]);
        assert_eq!(image.get_pixel(5, 5).0, [255, 255, 255]);
        // The disc's edge is anti-aliased: neither fully black nor white.
        let edge = image.get_pixel(15, 10).0[0];
        assert!(edge > 0 && edge < 255, "{edge}");
    }

    #[test]
    fn transparent_canvas_stays_transparent_outside_shapes() {
        let mut canvas = Canvas::new(8, 8, Colour::WHITE, 0.0);
        canvas.fill(Shape::rect(0.0, 0.0, 4.0, 8.0), Colour::hex(0x336699), 1.0);
        let image = canvas.to_rgba();
        assert_eq!(image.get_pixel(1, 1).0, [0x33, 0x66, 0x99, 255]);
        assert_eq!(image.get_pixel(6, 1).0[3], 0);
    }

    #[test]
    fn dice_repeat_for_the_same_seed() {
        let roll = |seed| {
            let mut dice = Dice::new(seed);
            (0..5).map(|_| dice.next_u64()).collect::<Vec<_>>()
        };
        assert_eq!(roll("a"), roll("a"));
        assert_ne!(roll("a"), roll("b"));
        let mut dice = Dice::new("x");
        assert!((0..1000).all(|_| (0.0..1.0).contains(&dice.unit())));
    }
}
