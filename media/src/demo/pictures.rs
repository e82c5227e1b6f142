//! The demo's pictures, drawn in code: illustrated "photos" of the day, abstract speaker
//! portraits, exhibitor logos, the event logo and the venue map. Each is a pure function of its
//! arguments, so every run produces the same bytes.

use image::{RgbImage, RgbaImage};

use super::canvas::{Canvas, Colour, Dice, Shape};

const SKIN: [Colour; 6] = [
    Colour::hex(0xf1c9a5),
    Colour::hex(0xe0ac84),
    Colour::hex(0xc68863),
    Colour::hex(0x9c6644),
    Colour::hex(0x70472e),
    Colour::hex(0xf6d7bf),
];
const HAIR: [Colour; 6] = [
    Colour::hex(0x2b2118),
    Colour::hex(0x5a3825),
    Colour::hex(0x8d5a2b),
    Colour::hex(0xc9a15b),
    Colour::hex(0x9e9e9e),
    Colour::hex(0x1c1c1c),
];
const CLOTHES: [Colour; 8] = [
    Colour::hex(0x2c3e50),
    Colour::hex(0x4a4a4a),
    Colour::hex(0x7b2d3b),
    Colour::hex(0x1f6f78),
    Colour::hex(0xb08d57),
    Colour::hex(0x6d7b8d),
    Colour::hex(0xe8e4dc),
    Colour::hex(0x3d5a80),
];
const TROUSERS: [Colour; 3] = [
    Colour::hex(0x23262e),
    Colour::hex(0x3a3f4b),
    Colour::hex(0x4b3b2f),
];

/// What an illustrated photo shows.
#[derive(Clone, Copy, Debug)]
pub enum Scene {
    /// The registration desk in the foyer, people queueing.
    Entrance,
    /// The forum: stage, screen in the accent colour, audience from behind.
    Stage { accent: Colour },
    /// A station's stand in its colour with visitors.
    Station { accent: Colour },
    /// Bistro tables and the buffet.
    Foyer,
}

/// An illustrated photo of the market hall.
pub fn photo(scene: Scene, seed: &str, width: u32, height: u32) -> RgbImage {
    let mut dice = Dice::new(seed);
    let mut canvas = Canvas::new(width, height, Colour::WHITE, 1.0);
    let (w, h) = (canvas.width(), canvas.height());
    let horizon = h * 0.58;
    hall_backdrop(&mut canvas, horizon, &mut dice);
    let mut people = Vec::new();
    match scene {
        Scene::Entrance => {
            // Two helpers behind the registration desk, a queue leading up to it.
            for x in [w * 0.6, w * 0.78] {
                person(&mut canvas, x, horizon + h * 0.01, h * 0.3, &mut dice);
            }
            desk(
                &mut canvas,
                w * 0.45,
                w * 0.93,
                horizon,
                Colour::hex(0x34495e),
            );
            for i in 0..5 {
                let x = w * (0.38 - 0.075 * i as f32) + dice.range(-10.0, 10.0);
                let feet = horizon + h * (0.1 + 0.06 * i as f32);
                people.push((x, feet));
            }
        }
        Scene::Stage { accent } => {
            stage(&mut canvas, horizon, accent, &mut dice);
            audience(&mut canvas, &mut dice);
        }
        Scene::Station { accent } => {
            stand(&mut canvas, w * 0.16, w * 0.84, horizon, accent, &mut dice);
            let visitors = 4 + dice.below(4);
            for _ in 0..visitors {
                let x = w * dice.range(0.1, 0.9);
                let feet = horizon + h * dice.range(0.1, 0.36);
                people.push((x, feet));
            }
        }
        Scene::Foyer => {
            buffet(&mut canvas, horizon, &mut dice);
            for i in 0..3 {
                let x = w * (0.2 + 0.3 * i as f32) + dice.range(-20.0, 20.0);
                let top = horizon + h * dice.range(0.04, 0.1);
                bistro_table(&mut canvas, x, top, h * 0.24, &mut dice);
                people.push((x + h * 0.11, top + h * dice.range(0.17, 0.21)));
                if dice.below(2) == 0 {
                    people.push((x - h * 0.11, top + h * dice.range(0.17, 0.21)));
                }
            }
        }
    }
    // Far people first, so nearer ones overlap them.
    people.sort_by(|a, b| a.1.total_cmp(&b.1));
    for (x, feet) in people {
        let depth = ((feet - horizon) / (h - horizon)).clamp(0.0, 1.0);
        person(&mut canvas, x, feet, h * (0.3 + 0.42 * depth), &mut dice);
    }
    canvas.to_rgb()
}

/// Roof, windows, lamps and floor of the hall.
fn hall_backdrop(canvas: &mut Canvas, horizon: f32, dice: &mut Dice) {
    let (w, h) = (canvas.width(), canvas.height());
    let roof = h * 0.18;
    canvas.vertical_gradient(0.0, roof, Colour::hex(0x23252f), Colour::hex(0x474856));
    canvas.vertical_gradient(roof, horizon, Colour::hex(0xd9cfc1), Colour::hex(0xbcae9c));
    canvas.vertical_gradient(horizon, h, Colour::hex(0x9b8771), Colour::hex(0x5f5044));
    // Tall windows between the posts, daylight outside.
    let bays = 6;
    let bay = w / bays as f32;
    let offset = dice.range(-0.4, 0.4) * bay;
    for i in 0..=bays {
        let x = offset + i as f32 * bay;
        let (top, bottom) = (h * 0.23, horizon - h * 0.08);
        canvas.fill_shaded(
            Shape::rounded(x + bay * 0.22, top, x + bay * 0.78, bottom, bay * 0.28),
            0.95,
            |_, y| {
                let t = (y - top) / (bottom - top);
                Colour::hex(0x9fc1dd).mix(Colour::hex(0xeef3f6), t)
            },
        );
        canvas.fill(
            Shape::rect(x + bay * 0.49, top, x + bay * 0.51, bottom),
            Colour::hex(0x8a8f99),
            0.8,
        );
        canvas.fill(
            Shape::rect(x - bay * 0.04, roof, x + bay * 0.04, horizon),
            Colour::hex(0x5b5a63),
            1.0,
        );
    }
    // A beam under the roof, and warm lamps hanging from it.
    canvas.fill(
        Shape::rect(0.0, roof - h * 0.02, w, roof),
        Colour::hex(0x35363f),
        1.0,
    );
    for i in 0..5 {
        let x = w * (0.1 + 0.2 * i as f32);
        let y = h * 0.1;
        canvas.fill(
            Shape::rect(x - 1.0, 0.0, x + 1.0, y),
            Colour::hex(0x1d1e24),
            1.0,
        );
        canvas.glow(x, y + h * 0.02, h * 0.12, Colour::hex(0xffe2a8), 0.35);
        canvas.fill(
            Shape::Ellipse {
                cx: x,
                cy: y + h * 0.012,
                rx: h * 0.03,
                ry: h * 0.014,
            },
            Colour::hex(0xfff1cf),
            1.0,
        );
    }
    // Soft reflection of the windows on the floor.
    canvas.fill(
        Shape::rect(0.0, horizon, w, horizon + 2.0),
        Colour::hex(0x6f604f),
        1.0,
    );
}

fn desk(canvas: &mut Canvas, x0: f32, x1: f32, horizon: f32, colour: Colour) {
    let h = canvas.height();
    canvas.fill(
        Shape::rounded(x0, horizon - h * 0.14, x1, horizon - h * 0.1, 4.0),
        colour.lighter(0.2),
        1.0,
    );
    canvas.fill(
        Shape::rect(x0, horizon - h * 0.1, x1, horizon + h * 0.04),
        Colour::hex(0xf4f1ea),
        1.0,
    );
    canvas.fill(
        Shape::rect(x0, horizon - h * 0.06, x1, horizon - h * 0.045),
        colour,
        1.0,
    );
    // Name badges laid out on the desk.
    let mut x = x0 + 12.0;
    while x < x1 - 20.0 {
        canvas.fill(
            Shape::rounded(x, horizon - h * 0.115, x + 14.0, horizon - h * 0.104, 2.0),
            Colour::WHITE,
            1.0,
        );
        x += 22.0;
    }
}

fn stage(canvas: &mut Canvas, horizon: f32, accent: Colour, dice: &mut Dice) {
    let (w, h) = (canvas.width(), canvas.height());
    // The screen with an abstract slide: title bar, a few lines, a chart.
    let (sx0, sy0, sx1, sy1) = (w * 0.3, h * 0.2, w * 0.7, h * 0.47);
    canvas.fill(
        Shape::rect(sx0 - 6.0, sy0 - 6.0, sx1 + 6.0, sy1 + 6.0),
        Colour::hex(0x202129),
        1.0,
    );
    canvas.fill_shaded(Shape::rect(sx0, sy0, sx1, sy1), 1.0, |x, _| {
        Colour::WHITE.mix(accent.lighter(0.85), (x - sx0) / (sx1 - sx0))
    });
    canvas.fill(
        Shape::rect(sx0, sy0, sx1, sy0 + (sy1 - sy0) * 0.2),
        accent,
        1.0,
    );
    for line in 0..3 {
        let y = sy0 + (sy1 - sy0) * (0.32 + 0.13 * line as f32);
        let length = (sx1 - sx0) * dice.range(0.25, 0.42);
        canvas.fill(
            Shape::rounded(sx0 + 20.0, y, sx0 + 20.0 + length, y + 7.0, 3.5),
            Colour::hex(0x8a8f99),
            1.0,
        );
    }
    for bar in 0..4 {
        let x = sx0 + (sx1 - sx0) * (0.62 + 0.08 * bar as f32);
        let top = sy1 - (sy1 - sy0) * dice.range(0.2, 0.6);
        canvas.fill(
            Shape::rect(x, top, x + (sx1 - sx0) * 0.05, sy1 - 12.0),
            accent.lighter(0.15 * bar as f32),
            1.0,
        );
    }
    // The stage platform and the lectern with the speaker behind it.
    canvas.fill(
        Shape::rect(w * 0.12, horizon - h * 0.03, w * 0.88, horizon + h * 0.06),
        Colour::hex(0x3b2f2a),
        1.0,
    );
    canvas.fill(
        Shape::rect(w * 0.12, horizon - h * 0.03, w * 0.88, horizon - h * 0.02),
        Colour::hex(0x5a4840),
        1.0,
    );
    let lectern = w * 0.78;
    person(canvas, lectern, horizon - h * 0.02, h * 0.3, dice);
    canvas.fill(
        Shape::rect(
            lectern - w * 0.035,
            horizon - h * 0.15,
            lectern + w * 0.035,
            horizon - h * 0.02,
        ),
        Colour::hex(0x2a2b33),
        1.0,
    );
    canvas.fill(
        Shape::rect(
            lectern - w * 0.035,
            horizon - h * 0.12,
            lectern + w * 0.035,
            horizon - h * 0.105,
        ),
        accent,
        1.0,
    );
}

/// Rows of listeners seen from behind, cut off by the bottom edge.
fn audience(canvas: &mut Canvas, dice: &mut Dice) {
    let (w, h) = (canvas.width(), canvas.height());
    for (row, (y, scale)) in [(h * 0.78, 0.8f32), (h * 0.95, 1.0)]
        .into_iter()
        .enumerate()
    {
        let count = 6 + row;
        let spacing = w / count as f32;
        for i in 0..count {
            let x = spacing * (i as f32 + 0.5 * (row as f32 + 0.5)) + dice.range(-12.0, 12.0);
            let head = h * 0.055 * scale;
            let clothes = dice.pick(&CLOTHES);
            canvas.fill(
                Shape::rounded(
                    x - head * 2.1,
                    y + head * 0.6,
                    x + head * 2.1,
                    y + head * 6.0,
                    head * 1.2,
                ),
                clothes,
                1.0,
            );
            canvas.fill(
                Shape::Disc {
                    cx: x,
                    cy: y,
                    r: head,
                },
                dice.pick(&SKIN),
                1.0,
            );
            // Hair covers the back of the head.
            canvas.fill(
                Shape::Ellipse {
                    cx: x,
                    cy: y - head * 0.12,
                    rx: head * 1.04,
                    ry: head * dice.range(0.9, 1.05),
                },
                dice.pick(&HAIR),
                1.0,
            );
        }
    }
}

fn stand(canvas: &mut Canvas, x0: f32, x1: f32, horizon: f32, accent: Colour, dice: &mut Dice) {
    let h = canvas.height();
    let top = h * 0.2;
    // Back wall in the station's colour with a lighter header band.
    canvas.fill_shaded(
        Shape::rounded(x0, top, x1, horizon + h * 0.02, 6.0),
        1.0,
        |_, y| accent.mix(accent.darker(0.25), (y - top) / (horizon - top)),
    );
    canvas.fill(
        Shape::rect(x0, top, x1, top + h * 0.07),
        accent.lighter(0.3),
        1.0,
    );
    canvas.fill(
        Shape::rounded(
            x0 + (x1 - x0) * 0.3,
            top + h * 0.02,
            x0 + (x1 - x0) * 0.7,
            top + h * 0.05,
            h * 0.015,
        ),
        Colour::WHITE,
        1.0,
    );
    // Posters and a large monitor on the wall.
    let posters = 2 + dice.below(2);
    for i in 0..posters {
        let px = x0 + (x1 - x0) * (0.06 + 0.12 * i as f32);
        canvas.fill(
            Shape::rect(px, top + h * 0.11, px + (x1 - x0) * 0.09, top + h * 0.26),
            Colour::hex(0xfaf8f3),
            1.0,
        );
        canvas.fill(
            Shape::rect(
                px + 6.0,
                top + h * 0.12,
                px + (x1 - x0) * 0.09 - 6.0,
                top + h * 0.16,
            ),
            accent.lighter(0.4),
            1.0,
        );
    }
    let (mx0, my0, mx1, my1) = (
        x0 + (x1 - x0) * 0.55,
        top + h * 0.1,
        x0 + (x1 - x0) * 0.9,
        top + h * 0.28,
    );
    canvas.fill(
        Shape::rounded(mx0, my0, mx1, my1, 4.0),
        Colour::hex(0x1e1f26),
        1.0,
    );
    canvas.fill_shaded(
        Shape::rect(mx0 + 5.0, my0 + 5.0, mx1 - 5.0, my1 - 5.0),
        1.0,
        |x, _| {
            accent
                .lighter(0.75)
                .mix(Colour::WHITE, (x - mx0) / (mx1 - mx0))
        },
    );
    canvas.fill(
        Shape::rect(mx0 + 5.0, my0 + 5.0, mx0 + (mx1 - mx0) * 0.3, my1 - 5.0),
        accent.lighter(0.45),
        1.0,
    );
    // The counter.
    let counter = (x0 + (x1 - x0) * 0.25, x0 + (x1 - x0) * 0.75);
    canvas.fill(
        Shape::rect(counter.0, horizon - h * 0.05, counter.1, horizon + h * 0.08),
        Colour::hex(0xf2efe8),
        1.0,
    );
    canvas.fill(
        Shape::rect(counter.0, horizon - h * 0.06, counter.1, horizon - h * 0.05),
        Colour::hex(0xffffff),
        1.0,
    );
    canvas.fill(
        Shape::rect(counter.0, horizon + h * 0.01, counter.1, horizon + h * 0.03),
        accent,
        1.0,
    );
    // Roll-up banners at both ends.
    for x in [x0 - 10.0, x1 - 40.0] {
        canvas.fill(
            Shape::rect(x, top + h * 0.04, x + 50.0, horizon + h * 0.06),
            accent.lighter(0.55),
            1.0,
        );
        canvas.fill(
            Shape::Disc {
                cx: x + 25.0,
                cy: top + h * 0.12,
                r: 16.0,
            },
            accent,
            1.0,
        );
    }
}

fn buffet(canvas: &mut Canvas, horizon: f32, dice: &mut Dice) {
    let (w, h) = (canvas.width(), canvas.height());
    canvas.fill(
        Shape::rect(w * 0.05, horizon - h * 0.07, w * 0.95, horizon + h * 0.03),
        Colour::hex(0xf7f5f0),
        1.0,
    );
    canvas.fill(
        Shape::rect(w * 0.05, horizon - h * 0.075, w * 0.95, horizon - h * 0.065),
        Colour::hex(0xdedad1),
        1.0,
    );
    let mut x = w * 0.08;
    while x < w * 0.92 {
        let tray = dice.pick(&[
            Colour::hex(0xc0392b),
            Colour::hex(0xd4ac0d),
            Colour::hex(0x27ae60),
            Colour::hex(0xe67e22),
            Colour::hex(0x8d6e63),
        ]);
        canvas.fill(
            Shape::Ellipse {
                cx: x + 20.0,
                cy: horizon - h * 0.08,
                rx: 26.0,
                ry: 7.0,
            },
            Colour::hex(0xbfc3c7),
            1.0,
        );
        for k in 0..4 {
            canvas.fill(
                Shape::Disc {
                    cx: x + 8.0 + 8.0 * k as f32,
                    cy: horizon - h * 0.086,
                    r: 4.5,
                },
                tray.lighter(0.1 * k as f32),
                1.0,
            );
        }
        x += 70.0;
    }
    // Coffee urns.
    for cx in [w * 0.12, w * 0.88] {
        canvas.fill(
            Shape::rounded(
                cx - 14.0,
                horizon - h * 0.16,
                cx + 14.0,
                horizon - h * 0.07,
                6.0,
            ),
            Colour::hex(0x8c9299),
            1.0,
        );
    }
}

fn bistro_table(canvas: &mut Canvas, cx: f32, top: f32, height: f32, dice: &mut Dice) {
    let radius = height * 0.22;
    canvas.fill(
        Shape::rounded(
            cx - radius,
            top,
            cx + radius,
            top + height * 0.72,
            radius * 0.3,
        ),
        Colour::hex(0xf4f2ee),
        1.0,
    );
    canvas.fill(
        Shape::Ellipse {
            cx,
            cy: top,
            rx: radius * 1.05,
            ry: radius * 0.28,
        },
        Colour::WHITE,
        1.0,
    );
    let glasses = 1 + dice.below(3);
    for g in 0..glasses {
        let gx = cx - radius * 0.5 + radius * 0.45 * g as f32;
        canvas.fill(
            Shape::rounded(gx - 4.0, top - 16.0, gx + 4.0, top, 2.0),
            dice.pick(&[
                Colour::hex(0xf5d76e),
                Colour::hex(0xe8eef2),
                Colour::hex(0xb03a2e),
            ]),
            0.85,
        );
    }
}

/// A standing person `height` pixels tall whose feet are at (`x`, `feet`); no face.
fn person(canvas: &mut Canvas, x: f32, feet: f32, height: f32, dice: &mut Dice) {
    let u = height / 100.0;
    let clothes = dice.pick(&CLOTHES);
    let trousers = dice.pick(&TROUSERS);
    let skin = dice.pick(&SKIN);
    let hair = dice.pick(&HAIR);
    let shoulders = u * dice.range(13.0, 17.0);
    // Legs.
    for side in [-1.0, 1.0] {
        let lx = x + side * u * 5.0;
        canvas.fill(
            Shape::rounded(lx - u * 4.0, feet - u * 48.0, lx + u * 4.0, feet, u * 3.0),
            trousers,
            1.0,
        );
    }
    // Torso and arms.
    canvas.fill(
        Shape::rounded(
            x - shoulders,
            feet - u * 82.0,
            x + shoulders,
            feet - u * 44.0,
            u * 7.0,
        ),
        clothes,
        1.0,
    );
    for side in [-1.0, 1.0] {
        let ax = x + side * (shoulders - u * 1.0);
        canvas.fill(
            Shape::rounded(
                ax - u * 3.5,
                feet - u * 80.0,
                ax + u * 3.5,
                feet - u * 48.0,
                u * 3.5,
            ),
            clothes.darker(0.15),
            1.0,
        );
    }
    // Neck, head, hair.
    canvas.fill(
        Shape::rect(x - u * 3.0, feet - u * 86.0, x + u * 3.0, feet - u * 80.0),
        skin.darker(0.08),
        1.0,
    );
    let head_y = feet - u * 91.0;
    canvas.fill(
        Shape::Ellipse {
            cx: x,
            cy: head_y,
            rx: u * 6.5,
            ry: u * 7.5,
        },
        skin,
        1.0,
    );
    canvas.fill(
        Shape::Ellipse {
            cx: x,
            cy: head_y - u * 3.0,
            rx: u * 6.9,
            ry: u * dice.range(4.5, 6.0),
        },
        hair,
        1.0,
    );
}

/// An abstract portrait: head and shoulders on a soft background, no face.
pub fn portrait(seed: &str, accent: Colour, size: u32) -> RgbImage {
    let mut dice = Dice::new(seed);
    let mut canvas = Canvas::new(size, size, Colour::WHITE, 1.0);
    let s = canvas.width();
    canvas.vertical_gradient(0.0, s, accent.lighter(0.55), accent.lighter(0.2));
    canvas.glow(
        s * dice.range(0.15, 0.85),
        s * dice.range(0.1, 0.4),
        s * 0.6,
        Colour::WHITE,
        0.35,
    );
    let skin = dice.pick(&SKIN);
    let hair = dice.pick(&HAIR);
    let clothes = dice.pick(&CLOTHES);
    let long_hair = dice.below(3) == 0;
    let (cx, head_y) = (s * 0.5, s * 0.42);
    if long_hair {
        canvas.fill(
            Shape::rounded(
                cx - s * 0.21,
                head_y - s * 0.2,
                cx + s * 0.21,
                head_y + s * 0.3,
                s * 0.16,
            ),
            hair,
            1.0,
        );
    }
    canvas.fill(
        Shape::Ellipse {
            cx,
            cy: s * 1.08,
            rx: s * 0.42,
            ry: s * 0.4,
        },
        clothes,
        1.0,
    );
    canvas.fill(
        Shape::Triangle([
            (cx - s * 0.09, s * 0.68),
            (cx + s * 0.09, s * 0.68),
            (cx, s * 0.84),
        ]),
        Colour::hex(0xf4f4f2),
        1.0,
    );
    canvas.fill(
        Shape::rounded(cx - s * 0.065, s * 0.55, cx + s * 0.065, s * 0.72, s * 0.04),
        skin.darker(0.08),
        1.0,
    );
    canvas.fill(
        Shape::Ellipse {
            cx,
            cy: head_y,
            rx: s * 0.17,
            ry: s * 0.205,
        },
        skin,
        1.0,
    );
    canvas.fill(
        Shape::Ellipse {
            cx,
            cy: head_y - s * 0.1,
            rx: s * 0.185,
            ry: s * dice.range(0.12, 0.15),
        },
        hair,
        1.0,
    );
    if dice.below(3) == 0 {
        for side in [-1.0, 1.0] {
            canvas.fill(
                Shape::Ring {
                    cx: cx + side * s * 0.07,
                    cy: head_y + s * 0.01,
                    r: s * 0.048,
                    thickness: s * 0.012,
                },
                Colour::hex(0x2b2b2b),
                1.0,
            );
        }
    }
    canvas.to_rgb()
}

/// A simple geometric logo on a transparent background. Logos with different `design` numbers
/// (taken modulo the five designs) have different shapes.
pub fn logo(seed: &str, primary: Colour, design: usize, size: u32) -> RgbaImage {
    let mut dice = Dice::new(seed);
    let mut canvas = Canvas::new(size, size, Colour::WHITE, 0.0);
    let s = canvas.width();
    let c = s / 2.0;
    // Exhibitors at one station share its colour: vary shade and partner colour so that no two
    // logos come out alike.
    let primary = primary.mix(Colour::BLACK, dice.range(0.0, 0.25));
    let secondary = primary.mix(
        dice.pick(&[
            Colour::hex(0x2c3e50),
            Colour::hex(0xf1c40f),
            Colour::hex(0x16a085),
            Colour::hex(0xecf0f1),
        ]),
        dice.range(0.35, 0.65),
    );
    match design % 5 {
        0 => {
            canvas.fill(
                Shape::rounded(s * 0.08, s * 0.08, s * 0.92, s * 0.92, s * 0.2),
                primary,
                1.0,
            );
            canvas.fill(
                Shape::Disc {
                    cx: c,
                    cy: c,
                    r: s * 0.26,
                },
                Colour::WHITE,
                1.0,
            );
            canvas.fill(
                Shape::Disc {
                    cx: c,
                    cy: c,
                    r: s * 0.12,
                },
                secondary,
                1.0,
            );
        }
        1 => {
            canvas.fill(
                Shape::Disc {
                    cx: c,
                    cy: c,
                    r: s * 0.44,
                },
                primary,
                1.0,
            );
            for (i, width) in [0.5f32, 0.36, 0.44].into_iter().enumerate() {
                let y = s * (0.33 + 0.13 * i as f32);
                canvas.fill(
                    Shape::rounded(
                        c - s * width / 2.0,
                        y,
                        c + s * width / 2.0,
                        y + s * 0.07,
                        s * 0.035,
                    ),
                    Colour::WHITE,
                    1.0,
                );
            }
        }
        2 => {
            canvas.fill(
                Shape::Disc {
                    cx: s * 0.38,
                    cy: s * 0.5,
                    r: s * 0.3,
                },
                primary,
                1.0,
            );
            canvas.fill(
                Shape::Disc {
                    cx: s * 0.62,
                    cy: s * 0.5,
                    r: s * 0.3,
                },
                secondary,
                0.85,
            );
            canvas.fill(
                Shape::Ring {
                    cx: s * 0.5,
                    cy: s * 0.5,
                    r: s * 0.12,
                    thickness: s * 0.05,
                },
                Colour::WHITE,
                1.0,
            );
        }
        3 => {
            // A town hall: roof and facade with columns.
            canvas.fill(
                Shape::rounded(s * 0.08, s * 0.08, s * 0.92, s * 0.92, s * 0.18),
                primary,
                1.0,
            );
            canvas.fill(
                Shape::Triangle([(s * 0.22, s * 0.42), (s * 0.78, s * 0.42), (c, s * 0.2)]),
                Colour::WHITE,
                1.0,
            );
            for i in 0..4 {
                let x = s * (0.27 + 0.14 * i as f32);
                canvas.fill(
                    Shape::rect(x, s * 0.47, x + s * 0.06, s * 0.72),
                    Colour::WHITE,
                    1.0,
                );
            }
            canvas.fill(
                Shape::rect(s * 0.22, s * 0.74, s * 0.78, s * 0.8),
                Colour::WHITE,
                1.0,
            );
        }
        _ => {
            canvas.fill(
                Shape::Ring {
                    cx: c,
                    cy: c,
                    r: s * 0.36,
                    thickness: s * 0.12,
                },
                primary,
                1.0,
            );
            canvas.fill(
                Shape::Triangle([(s * 0.4, s * 0.32), (s * 0.4, s * 0.68), (s * 0.7, s * 0.5)]),
                secondary,
                1.0,
            );
        }
    }
    canvas.to_rgba()
}

/// The event's logo: a market hall roof over ten coloured dots, one per station.
pub fn event_logo(station_colours: &[Colour], size: u32) -> RgbaImage {
    let mut canvas = Canvas::new(size, size, Colour::WHITE, 0.0);
    let s = canvas.width();
    let navy = Colour::hex(0x34495e);
    canvas.fill(
        Shape::rounded(s * 0.04, s * 0.04, s * 0.96, s * 0.96, s * 0.2),
        navy,
        1.0,
    );
    canvas.fill(
        Shape::Triangle([
            (s * 0.16, s * 0.44),
            (s * 0.84, s * 0.44),
            (s * 0.5, s * 0.16),
        ]),
        Colour::WHITE,
        1.0,
    );
    canvas.fill(
        Shape::Triangle([
            (s * 0.28, s * 0.4),
            (s * 0.72, s * 0.4),
            (s * 0.5, s * 0.23),
        ]),
        navy,
        1.0,
    );
    let count = station_colours.len().max(1);
    let per_row = count.div_ceil(2);
    for (i, colour) in station_colours.iter().enumerate() {
        let (row, col) = (i / per_row, i % per_row);
        let step = s * 0.6 / per_row as f32;
        canvas.fill(
            Shape::Disc {
                cx: s * 0.2 + step * (col as f32 + 0.5),
                cy: s * (0.57 + 0.17 * row as f32),
                r: step * 0.36,
            },
            *colour,
            1.0,
        );
    }
    canvas.to_rgba()
}

/// What the venue map marks at a position (fractions of the map).
#[derive(Clone, Copy, Debug)]
pub enum MapMark {
    /// A station with its colour and how many exhibitors stand there.
    Station { colour: Colour, exhibitors: usize },
    /// The stage area.
    Forum,
    /// Foyer with entrance and info desk.
    Foyer,
    /// Stairs to an upper-floor room.
    Stairs,
}

/// A plan of the hall, with each mark drawn at its position.
pub fn venue_map(marks: &[(f32, f32, MapMark)], width: u32, height: u32) -> RgbImage {
    let mut canvas = Canvas::new(width, height, Colour::hex(0xeeeae2), 1.0);
    let (w, h) = (canvas.width(), canvas.height());
    let wall = Colour::hex(0xb9b1a3);
    canvas.fill(
        Shape::rounded(w * 0.02, h * 0.03, w * 0.98, h * 0.97, 18.0),
        wall,
        1.0,
    );
    canvas.fill(
        Shape::rounded(w * 0.03, h * 0.045, w * 0.97, h * 0.955, 12.0),
        Colour::hex(0xfbfaf7),
        1.0,
    );
    for &(fx, fy, mark) in marks {
        let (x, y) = (fx * w, fy * h);
        match mark {
            MapMark::Forum => {
                let navy = Colour::hex(0x34495e);
                canvas.fill(
                    Shape::rounded(x - w * 0.25, y - h * 0.09, x + w * 0.25, y + h * 0.1, 10.0),
                    navy.lighter(0.85),
                    1.0,
                );
                canvas.fill(
                    Shape::rounded(x - w * 0.15, y - h * 0.08, x + w * 0.15, y - h * 0.05, 6.0),
                    navy,
                    1.0,
                );
                for row in 0..4 {
                    for seat in 0..14 {
                        canvas.fill(
                            Shape::Disc {
                                cx: x - w * 0.195 + w * 0.03 * seat as f32,
                                cy: y - h * 0.01 + h * 0.03 * row as f32,
                                r: 4.0,
                            },
                            navy.lighter(0.45),
                            1.0,
                        );
                    }
                }
            }
            MapMark::Foyer => {
                canvas.fill(
                    Shape::rect(w * 0.03, y - h * 0.06, w * 0.97, h * 0.955),
                    Colour::hex(0xf1ebde),
                    1.0,
                );
                // The entrance: a gap in the wall.
                canvas.fill(
                    Shape::rect(x - w * 0.06, h * 0.95, x + w * 0.06, h),
                    Colour::hex(0xeeeae2),
                    1.0,
                );
                canvas.fill(
                    Shape::Triangle([(x - 14.0, h * 0.985), (x + 14.0, h * 0.985), (x, h * 0.955)]),
                    Colour::hex(0x7f8c8d),
                    1.0,
                );
                // The info desk.
                canvas.fill(
                    Shape::rounded(x - w * 0.08, y - h * 0.03, x + w * 0.08, y, 8.0),
                    Colour::hex(0x7f8c8d),
                    1.0,
                );
            }
            MapMark::Stairs => {
                for step in 0..5 {
                    canvas.fill(
                        Shape::rect(
                            x - 28.0,
                            y - 30.0 + 12.0 * step as f32,
                            x + 28.0,
                            y - 22.0 + 12.0 * step as f32,
                        ),
                        Colour::hex(0x95a5a6),
                        1.0,
                    );
                }
            }
            MapMark::Station { colour, exhibitors } => {
                // Exhibitor tables in a half circle behind the station marker.
                for k in 0..exhibitors {
                    let t = (k as f32 + 0.5) / exhibitors as f32;
                    let tx = x + (t - 0.5) * w * 0.12;
                    canvas.fill(
                        Shape::rounded(tx - 16.0, y - 62.0, tx + 16.0, y - 46.0, 4.0),
                        colour.lighter(0.55),
                        1.0,
                    );
                }
                canvas.fill(
                    Shape::Disc {
                        cx: x,
                        cy: y,
                        r: 36.0,
                    },
                    colour,
                    1.0,
                );
                canvas.fill(
                    Shape::Ring {
                        cx: x,
                        cy: y,
                        r: 26.0,
                        thickness: 5.0,
                    },
                    Colour::WHITE,
                    1.0,
                );
            }
        }
    }
    canvas.to_rgb()
}
