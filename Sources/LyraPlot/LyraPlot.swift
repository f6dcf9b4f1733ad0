// LyraPlot: SVG charts written in Swift (no browser, no Python), for
// reports, notebooks and `lyra.plot` (docs/architecture.md#console-and-notebook-output). Start from `Plot`.
