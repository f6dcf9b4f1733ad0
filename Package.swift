// swift-tools-version:6.0
// Lyra: a native AutoML pipeline in Swift, scripted in Lua 5.4.
// Layers point down only (see docs/architecture.md#layers), rows top to bottom: lyra → LyraLua → LyraPipeline
// → LyraSearch/LyraNets/LyraONNX → LyraSpace/LyraNN/LyraData → LyraTensor → LyraKernels → LyraBase/LyraPlot → C shims.
// Each target lists every module it imports (none reached only through another target).
import PackageDescription

/// Where unchecked code is allowed: only LyraKernels, the inner loops (GEMM packing, im2col,
/// convolution, pooling, batch norm, elementwise and reduction loops) whose every caller in
/// LyraTensor checks shapes, strides and offsets before the call, and whose tensors were sized
/// through LyraBase's CheckedSize. Release builds compile it with -Ounchecked (no bounds or
/// overflow traps); every other target keeps Swift's checks (-O), so a size that slipped past
/// validation traps instead of reading or writing outside its buffer. Debug builds check
/// everything. Why the line is drawn here: docs/architecture.md#checked-sizes; its measured cost: docs/robustness.md.
let kernelFlags: [SwiftSetting] = [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
  name: "Lyra",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "lyra", targets: ["lyra"]),
    .executable(name: "lyra-bench", targets: ["lyra-bench"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
  ],
  targets: [
    // C shims. Debian's headers are included by absolute include path (<lua5.4/lua.h>), so no pkg-config flags leak upward.
    .target(name: "CRuntime", path: "Sources/CRuntime"),
    .target(name: "CLua", dependencies: ["CRuntime"], path: "Sources/CLua",
            linkerSettings: [.linkedLibrary("lua5.4"), .linkedLibrary("m"), .linkedLibrary("dl")]),
    .target(name: "CBLAS", path: "Sources/CBLAS", linkerSettings: [.linkedLibrary("openblas")]),
    // Lyra's own inner loops in C (GEMM, ...), one portable/AVX2/AVX-512 path each chosen at run time
    // (Sources/CKernels/include/ckernels.h). Always optimised: tests run debug builds, and a -O0
    // GEMM would make every training test several times slower.
    .target(name: "CKernels", path: "Sources/CKernels", cSettings: [.unsafeFlags(["-O2"])]),
    .target(name: "CZlib", path: "Sources/CZlib", linkerSettings: [.linkedLibrary("z")]),
    .target(name: "CSQLite", path: "Sources/CSQLite", linkerSettings: [.linkedLibrary("sqlite3")]),
    // libpq (libpq-dev) for the PostgreSQL trial store (docs/pipeline.md#running-on-several-machines).
    .target(name: "CPostgres", path: "Sources/CPostgres", linkerSettings: [.linkedLibrary("pq")]),
    // PNG (libpng-dev) and JPEG (libjpeg62-turbo-dev) decoding for lyra.data.ImageFolder; their longjmp
    // error handling stays inside the shim (Sources/CImage/include/CImage.h).
    .target(name: "CImage", path: "Sources/CImage", linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("jpeg")]),
    .target(name: "CReadline", dependencies: ["CRuntime"], path: "Sources/CReadline",
            linkerSettings: [.linkedLibrary("readline")]),
    // C++ over Debian's libonnx 1.12 (docs/onnx.md), behind a C API so no exception reaches Swift. The defines
    // are the ones Debian's ONNXTargets.cmake exports; libonnx holds the checker and shape inference.
    .target(name: "CONNX", path: "Sources/CONNX",
            cxxSettings: [.define("ONNX_NAMESPACE", to: "onnx"), .define("ONNX_ML", to: "1")],
            linkerSettings: [.linkedLibrary("onnx"), .linkedLibrary("onnx_proto"), .linkedLibrary("protobuf")]),

    // Swift layers.
    .target(name: "LyraBase", dependencies: ["CRuntime"]),
    .target(name: "LyraKernels", dependencies: ["LyraBase", "CBLAS", "CKernels"], swiftSettings: kernelFlags),
    .target(name: "LyraTensor", dependencies: ["LyraBase", "LyraKernels", "CBLAS"]),
    .target(name: "LyraNN", dependencies: ["LyraTensor", "LyraKernels", "LyraBase", "CZlib"]),
    .target(name: "LyraData", dependencies: ["LyraBase", "CZlib", "CImage"]),
    .target(name: "LyraPlot", dependencies: ["LyraBase"]),
    // Notebook files and pages (cells, Markdown/HTML/ipynb renderers): no Lua here; LyraLua runs the cells.
    .target(name: "LyraNotebook", dependencies: ["LyraBase"]),
    .target(name: "LyraSpace", dependencies: ["LyraBase"]),
    .target(name: "LyraSearch", dependencies: ["LyraSpace", "LyraBase"]),
    .target(name: "LyraNets", dependencies: ["LyraNN", "LyraSpace", "LyraBase", "LyraTensor", "LyraKernels"]),
    .target(name: "LyraONNX", dependencies: ["LyraBase", "LyraNN", "LyraTensor", "LyraKernels", "CONNX"]),
    .target(name: "LyraPipeline", dependencies: ["LyraBase", "LyraSearch", "LyraSpace", "LyraNets", "LyraONNX", "LyraNN", "LyraTensor", "LyraKernels",
                                                "LyraData", "CSQLite", "CPostgres", "CRuntime", "LyraPlot", .product(name: "Yams", package: "Yams")]),
    .target(name: "LyraLua", dependencies: ["LyraBase", "CLua", "CReadline", "CRuntime", "LyraPipeline", "LyraPlot", "LyraNotebook", "LyraSearch",
                                           "LyraSpace", "LyraNets", "LyraONNX", "LyraNN", "LyraTensor", "LyraKernels", "LyraData"]),
    .executableTarget(name: "lyra", dependencies: [
      "LyraBase", "LyraData", "LyraKernels", "LyraLua", "LyraNotebook", "LyraPipeline", "LyraONNX", "LyraNets", "LyraNN", "LyraTensor", "CRuntime",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),

    .executableTarget(name: "lyra-bench", dependencies: ["LyraNN", "LyraTensor", "LyraKernels", "LyraData", "CKernels"]),

    // Fuzzing (scripts/fuzz, docs/robustness.md): a mutation loop of its own, or libFuzzer
    // when built with --sanitize=fuzzer (then libFuzzer's main drives LLVMFuzzerTestOneInput).
    .executableTarget(name: "lyra-fuzz", dependencies: ["LyraLua", "LyraPipeline", "LyraONNX", "LyraTensor", "CLua"]),

    // Tests.
    .target(name: "CPty", path: "Tests/CPty", linkerSettings: [.linkedLibrary("util")]),
    .testTarget(name: "LyraBaseTests", dependencies: ["LyraBase"]),
    .testTarget(name: "LyraKernelsTests", dependencies: ["LyraKernels", "LyraBase", "CBLAS", "CKernels"]),
    .testTarget(name: "LyraTensorTests", dependencies: ["LyraTensor", "LyraKernels", "LyraBase", "CBLAS"]),
    .testTarget(name: "LyraDataTests", dependencies: ["LyraData", "LyraBase", "CZlib", "CImage"]),
    .testTarget(name: "LyraNNTests", dependencies: ["LyraNN", "LyraTensor", "LyraKernels", "LyraBase"]),
    .testTarget(name: "LyraSpaceTests", dependencies: ["LyraSpace", "LyraBase"]),
    .testTarget(name: "LyraSearchTests", dependencies: ["LyraSearch", "LyraSpace", "LyraBase"]),
    .testTarget(name: "LyraPipelineTests", dependencies: ["LyraPipeline", "LyraSearch", "LyraSpace", "LyraNets", "LyraONNX", "LyraNN", "LyraTensor",
                                                        "LyraData", "LyraBase", "CRuntime"]),
    .testTarget(name: "LyraNetsTests", dependencies: ["LyraNets", "LyraNN", "LyraSpace", "LyraTensor", "LyraBase"]),
    .testTarget(name: "LyraONNXTests", dependencies: ["LyraONNX", "LyraNN", "LyraNets", "LyraTensor", "LyraBase", "CONNX"]),
    .testTarget(name: "LyraPlotTests", dependencies: ["LyraPlot", "LyraBase"]),
    .testTarget(name: "LyraNotebookTests", dependencies: ["LyraNotebook", "LyraBase"]),
    .testTarget(name: "LyraLuaTests", dependencies: ["LyraLua", "LyraNotebook", "LyraBase", "CLua", "CRuntime"]),
    .testTarget(name: "LyraCLITests", dependencies: ["CPty", "lyra", "LyraBase"]),
  ],
  swiftLanguageModes: [.v5],
  cxxLanguageStandard: .cxx17
)
