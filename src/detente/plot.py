"""plot: a dyad's timeline as a PNG — stacked QuadClass bars, tension line, alert markers."""

from __future__ import annotations

from pathlib import Path

QUAD_COLOURS = {1: "#7fbf7b", 2: "#1b7837", 3: "#f1a340", 4: "#b2182b"}
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


def plot_series(periods: list[dict], alerts: list[dict], title: str, out: Path) -> None:
    """Periods and alerts as api.dyad_timeline gives them (rows of Period.to_json, Alert.to_json)."""
    import matplotlib  # noqa: PLC0415 - a slow import, for --plot only

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    both = [p for p in periods if p["direction"] == "both"]
    labels = [p["period"] for p in both]
    x = range(len(both))
    fig, ax = plt.subplots(figsize=(max(6, len(both) * 0.6), 4))
    bottom = [0] * len(both)
    for q in (2, 1, 3, 4):
        values = [p[f"q{q}"] for p in both]
        ax.bar(x, values, bottom=bottom, color=QUAD_COLOURS[q], label=QUAD_NAMES[q])
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_ylabel("event clusters")
    ax.set_xticks(list(x), labels, rotation=45, ha="right", fontsize=8)
    line = ax.twinx()
    line.plot(x, [p["tension_smoothed"] if p["tension_smoothed"] is not None else float("nan") for p in both],
              color="black", marker="o", label="tension (smoothed)")
    line.axhline(0, color="grey", linewidth=0.5)
    line.set_ylim(-1, 1)
    line.set_ylabel("tension (−1 cooperation … +1 conflict)")
    index = {p["period"]: i for i, p in enumerate(both)}
    for alert in alerts:
        if alert["period"] in index:
            at = index[alert["period"]]
            line.axvline(at, color="#b2182b" if alert["size"] > 0 else "#1b7837", linestyle="--")
            line.annotate(f"{alert['direction']} ({alert['size']:+.2f})", (at, 0.9), fontsize=7, ha="center")
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize=7)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    plt.close(fig)
