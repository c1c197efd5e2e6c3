using System.Runtime.CompilerServices;

// The text tests compare the ONNX export with the TorchSharp module it came from.
[assembly: InternalsVisibleTo("Synthetic.Tests")]
