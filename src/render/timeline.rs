//! The timeline chart of the HTML report, as inline SVG: the analysed
//! window's events in lanes (sign-in outcomes and every log signature that
//! can be a primary cause), close marks merged into one circle with their
//! count, axis labels only where they fit, each chart drawn wide and
//! narrow of which the page shows the one that fits.

use crate::evidence::timeline::{Series, Timeline};
use crate::util::time::format_local;
use chrono::{DateTime, FixedOffset};
use maud::{Markup, html};

/// The CSS class suffix of a series.
fn series_class(series: Series) -> &'static str {
    match series {
        Series::Success => "success",
        Series::SilentFailure => "silent",
        Series::InvalidGrant => "invalid-grant",
        Series::InteractiveFailure => "interactive",
        Series::AppSsoError => "appsso",
        Series::TokenCache => "token-cache",
        Series::DuplicateAccounts => "duplicate",
        Series::JamfConnectAuthFailed => "jamf-connect",
        Series::Deactivation => "deactivation",
    }
}

/// How a chart is laid out. Each chart is drawn twice, once per shape, and
/// the page's style shows the one that fits the screen: a chart scaled down
/// to a phone would shrink its text to nothing.
struct Shape {
    /// The CSS class that picks the screen it is shown on.
    class: &'static str,
    /// Width of the drawing, in pixels at its intended size.
    width: f64,
    /// Where the plot begins (lane labels to its left on wide screens).
    plot_left: f64,
    /// Margin right of the plot.
    right: f64,
    /// Height of one lane.
    lane: f64,
    /// Lane labels above each lane rather than left of it.
    labels_above: bool,
}

/// Laptops, desktops and print.
const WIDE: Shape = Shape {
    class: "wide",
    width: 960.0,
    plot_left: 240.0,
    right: 16.0,
    lane: 30.0,
    labels_above: false,
};

/// Phones: a drawing as wide as a 420-pixel screen's section, lane labels
/// above their lane.
const NARROW: Shape = Shape {
    class: "narrow",
    width: 370.0,
    plot_left: 6.0,
    right: 6.0,
    lane: 40.0,
    labels_above: true,
};

/// Space above the lanes and below them (for the axis labels).
const TOP: f64 = 8.0;
const BOTTOM: f64 = 30.0;
/// Font sizes of lane and axis labels.
const LANE_FONT: f64 = 12.0;
const AXIS_FONT: f64 = 11.0;
/// Space between two circles and between two axis labels.
const GAP: f64 = 2.0;

/// A generous estimate of how wide `text` is drawn at `font` pixels (no
/// layout engine here): axis labels are only kept where they surely fit.
fn text_width(text: &str, font: f64) -> f64 {
    text.chars().count() as f64 * font * 0.62
}

/// The radius of a circle standing for `count` marks.
fn radius(count: usize) -> f64 {
    4.5 + (count as f64).log2().min(4.0) * 1.5
}

/// The largest radius drawn: the plot keeps this much room at each end.
const MAX_RADIUS: f64 = 10.5;

impl Shape {
    fn lane_top(&self, series: Series) -> f64 {
        let lane = Series::ALL.iter().position(|s| *s == series).unwrap_or(0);
        TOP + self.lane * lane as f64
    }

    /// The centre line of a lane's marks.
    fn lane_y(&self, series: Series) -> f64 {
        if self.labels_above {
            self.lane_top(series) + LANE_FONT + 2.0 + (self.lane - LANE_FONT - 2.0) / 2.0
        } else {
            self.lane_top(series) + self.lane / 2.0
        }
    }

    /// Where a lane's label is drawn (its baseline).
    fn label_at(&self, series: Series) -> (f64, f64) {
        if self.labels_above {
            (self.plot_left, self.lane_top(series) + LANE_FONT)
        } else {
            (8.0, self.lane_y(series) + 4.0)
        }
    }

    fn height(&self) -> f64 {
        TOP + self.lane * Series::ALL.len() as f64 + BOTTOM
    }

    /// The horizontal position of `time` in a chart of `(start, end]`:
    /// circles at the ends stay whole.
    fn x_of(
        &self,
        start: DateTime<FixedOffset>,
        end: DateTime<FixedOffset>,
    ) -> impl Fn(DateTime<FixedOffset>) -> f64 {
        let span = (end - start).num_milliseconds().max(1) as f64;
        let from = self.plot_left + MAX_RADIUS;
        let plot = self.width - self.right - MAX_RADIUS - from;
        move |t| from + plot * ((t - start).num_milliseconds() as f64 / span).clamp(0.0, 1.0)
    }
}

/// Marks drawn as one circle: where, how many, and what they were.
struct Cluster {
    series: Series,
    x: f64,
    count: usize,
    first: DateTime<FixedOffset>,
    last: DateTime<FixedOffset>,
    processes: Vec<String>,
}

impl Cluster {
    /// Takes `other` (the later cluster) in: the circle moves to the
    /// count-weighted middle of both.
    fn absorb(&mut self, other: Cluster) {
        let total = (self.count + other.count) as f64;
        self.x = (self.x * self.count as f64 + other.x * other.count as f64) / total;
        self.count += other.count;
        self.last = other.last;
        for process in other.processes {
            if !self.processes.contains(&process) {
                self.processes.push(process);
            }
        }
    }

    fn touches(&self, next: &Cluster) -> bool {
        next.x - self.x < radius(self.count) + radius(next.count) + GAP
    }
}

/// The marks inside `(start, end]` as circles of `shape`: marks whose
/// circles would touch are merged (and the merge repeated while the grown
/// circle touches its neighbour), so no two circles overlap.
fn clusters(
    timeline: &Timeline,
    shape: &Shape,
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
) -> Vec<Cluster> {
    let x_of = shape.x_of(start, end);
    let mut out: Vec<Cluster> = Vec::new();
    for series in Series::ALL {
        let mut lane: Vec<Cluster> = Vec::new();
        for mark in timeline
            .marks
            .iter()
            .filter(|m| m.series == series && m.time > start && m.time <= end)
        {
            let mut next = Cluster {
                series,
                x: x_of(mark.time),
                count: 1,
                first: mark.time,
                last: mark.time,
                processes: vec![mark.process.clone()],
            };
            while let Some(previous) = lane.pop() {
                if previous.touches(&next) {
                    let mut merged = previous;
                    merged.absorb(next);
                    next = merged;
                } else {
                    lane.push(previous);
                    break;
                }
            }
            lane.push(next);
        }
        out.extend(lane);
    }
    out
}

/// The grid of a chart of `(start, end]`: midnights over a long window,
/// every 3 hours over a day; each with its label when the label fits
/// without touching the one before or running off the drawing.
fn ticks(
    shape: &Shape,
    offset: FixedOffset,
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
) -> Vec<(f64, Option<String>)> {
    let x_of = shape.x_of(start, end);
    let daily = end - start > chrono::Duration::hours(36);
    let step = if daily {
        chrono::Duration::days(1)
    } else {
        chrono::Duration::hours(3)
    };
    let mut out = Vec::new();
    let Some(mut tick) = start
        .with_timezone(&offset)
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .and_then(|m| m.and_local_timezone(offset).single())
    else {
        return out;
    };
    let mut free_from = shape.plot_left;
    while tick <= end {
        if tick >= start {
            let x = x_of(tick);
            let text = match (daily, shape.labels_above) {
                (true, false) => tick.format("%a %d %b").to_string(),
                (true, true) => tick.format("%d %b").to_string(),
                (false, _) => tick.format("%H:%M").to_string(),
            };
            let left = x + 3.0;
            let right = left + text_width(&text, AXIS_FONT);
            let fits = left >= free_from && right <= shape.width - 2.0;
            if fits {
                free_from = right + 2.0 * GAP;
            }
            out.push((x, fits.then_some(text)));
        }
        tick += step;
    }
    out
}

/// One chart of `(start, end]` in `shape`: grid lines, lanes with their
/// labels and counts, circles.
fn chart(
    timeline: &Timeline,
    shape: &Shape,
    (start, end): (DateTime<FixedOffset>, DateTime<FixedOffset>),
    class: &str,
    label: &str,
) -> Markup {
    let offset = timeline.window.end.timezone();
    let height = shape.height();
    let coordinate = |value: f64| format!("{value:.1}");
    html! {
        svg class={ "timeline " (class) " " (shape.class) } viewBox={ "0 0 " (shape.width) " " (height) } role="img"
            aria-label=(label) xmlns="http://www.w3.org/2000/svg" {
            @for (x, text) in ticks(shape, offset, start, end) {
                line x1=(coordinate(x)) y1=(TOP) x2=(coordinate(x)) y2=(coordinate(height - BOTTOM)) stroke="#d0d7de" {}
                @if let Some(text) = text {
                    text.axis x=(coordinate(x + 3.0)) y=(coordinate(height - 10.0)) font-size=(AXIS_FONT) fill="#57606a" { (text) }
                }
            }
            @for series in Series::ALL {
                @let y = shape.lane_y(series);
                @let (label_x, label_y) = shape.label_at(series);
                text.lane x=(coordinate(label_x)) y=(coordinate(label_y)) font-size=(LANE_FONT) fill="#1f2328" {
                    (series.label()) " (" (timeline.count_in(series, start, end)) ")"
                }
                line x1=(shape.plot_left) y1=(coordinate(y)) x2=(coordinate(shape.width - shape.right)) y2=(coordinate(y)) stroke="#eaeef2" {}
            }
            @for cluster in clusters(timeline, shape, start, end) {
                @let y = shape.lane_y(cluster.series);
                circle class={ "mark mark-" (series_class(cluster.series)) } data-count=(cluster.count)
                    cx=(coordinate(cluster.x)) cy=(coordinate(y)) r=(coordinate(radius(cluster.count))) fill-opacity="0.8" {
                    title {
                        @if cluster.count > 1 {
                            (cluster.count) " events, " (format_local(cluster.first, offset)) " to " (format_local(cluster.last, offset))
                        } @else {
                            (format_local(cluster.first, offset))
                        }
                        " · " (cluster.processes.join(", "))
                    }
                }
                @if cluster.count > 1 {
                    text.count x=(coordinate(cluster.x)) y=(coordinate(y + 3.0))
                        font-size=(if cluster.count >= 100 { "7" } else { "9" }) { (cluster.count) }
                }
            }
        }
    }
}

/// A chart in both shapes; the page shows the one that fits.
fn charts(
    timeline: &Timeline,
    range: (DateTime<FixedOffset>, DateTime<FixedOffset>),
    class: &str,
    label: &str,
) -> Markup {
    html! {
        (chart(timeline, &WIDE, range, class, label))
        (chart(timeline, &NARROW, range, class, label))
    }
}

/// The day (in the report's offset) with the most marks, and how many.
fn busiest_day(timeline: &Timeline) -> Option<(chrono::NaiveDate, usize)> {
    let offset = timeline.window.end.timezone();
    let mut per_day: std::collections::BTreeMap<chrono::NaiveDate, usize> = Default::default();
    for mark in &timeline.marks {
        *per_day
            .entry(mark.time.with_timezone(&offset).date_naive())
            .or_insert(0) += 1;
    }
    per_day
        .into_iter()
        .max_by_key(|(day, count)| (*count, std::cmp::Reverse(*day)))
}

/// The timeline section: the analysed window charted, then its busiest
/// day hour by hour when the window is longer than a day.
pub(crate) fn section(timeline: &Timeline) -> Markup {
    let window = timeline.window;
    let offset = window.end.timezone();
    let zoom = busiest_day(timeline).and_then(|(day, count)| {
        let start = day
            .and_hms_opt(0, 0, 0)?
            .and_local_timezone(offset)
            .single()?;
        let longer_than_a_day = window.end - window.start > chrono::Duration::days(1);
        (longer_than_a_day && count > 1).then_some((day, count, start))
    });
    html! {
        section {
            h2 { "Timeline" }
            p.sub {
                (format_local(window.start, offset)) " to " (format_local(window.end, offset))
                " · " span #mark-count { (timeline.marks.len()) } " events"
                @if timeline.not_drawn > 0 {
                    " (" (timeline.not_drawn) " more not drawn)"
                }
                " · events closer than a few pixels are drawn as one circle with their count"
            }
            (charts(timeline, (window.start, window.end), "window", "Timeline of sign-in events"))
            @if let Some((day, count, start)) = zoom {
                h2 { "Busiest day: " (day.format("%a %d %b %Y")) " (" (count) " events)" }
                (charts(timeline, (start, (start + chrono::Duration::days(1)).min(window.end)), "day", "The busiest day, hour by hour"))
            }
        }
    }
}
