// Greedy continuation of a prompt with a Hugging Face model folder (LLaMA / Qwen2 / GPT-2, safetensors).
//
//   dotnet run --project samples/Soft.Samples.Generate -- --model ../shared/models/stories260K --prompt "Once upon a time"
//
// Prints the continuation, and only it, to stdout; errors go to stderr with a non-zero exit code.
using Soft.Models;
using Soft.Runtime;

const string Usage = "usage: Soft.Samples.Generate --model <folder> [--prompt TEXT] [--max-new-tokens N] [--device cpu|cuda|auto]";

string? modelFolder = null;
string prompt = "";
int maxNewTokens = 64;
var device = DevicePreference.Cpu;
for (int i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    try
    {
        switch (args[i])
        {
            case "--model":
                modelFolder = Value();
                break;
            case "--prompt":
                prompt = Value();
                break;
            case "--max-new-tokens":
                string n = Value();
                if (!int.TryParse(n, out maxNewTokens) || maxNewTokens < 1)
                    throw new ArgumentException($"--max-new-tokens must be a positive integer, got '{n}'.");
                break;
            case "--device":
                string d = Value();
                device = d.ToLowerInvariant() switch
                {
                    "cpu" => DevicePreference.Cpu,
                    "cuda" => DevicePreference.Cuda,
                    "auto" => DevicePreference.Auto,
                    _ => throw new ArgumentException($"--device must be cpu, cuda or auto, got '{d}'."),
                };
                break;
            case "-h" or "--help":
                Console.Error.WriteLine(Usage);
                return 0;
            default:
                throw new ArgumentException($"Unknown argument '{args[i]}'.");
        }
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine(e.Message);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
if (modelFolder is null)
{
    Console.Error.WriteLine("--model is required.");
    Console.Error.WriteLine(Usage);
    return 2;
}

try
{
    SoftRuntime.Initialize(new SoftRuntimeOptions { Device = device, Seed = 42 });
    using var model = TorchLanguageModel.Load(modelFolder, new ModelLoadOptions { Device = device });
    var tokenizer = model.Tokenizer;
    var promptIds = tokenizer.Encode(prompt);
    if (promptIds.Count == 0)
        promptIds = [tokenizer.BosTokenId ?? tokenizer.EosTokenId]; // an empty prompt starts from BOS, as HF generate does
    var generated = model.GenerateFromTokens([promptIds], new GenerationOptions { MaxNewTokens = maxNewTokens })[0][0];

    // Decode prompt and continuation together so the first word keeps its leading space, then cut the prompt off.
    string promptText = tokenizer.Decode(promptIds);
    string fullText = tokenizer.Decode([.. promptIds, .. generated.TokenIds]);
    string continuation = fullText.StartsWith(promptText, StringComparison.Ordinal) ? fullText[promptText.Length..] : tokenizer.Decode(generated.TokenIds);
    Console.Out.Write(continuation);
    Console.Out.Write('\n');
    return 0;
}
catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException or NotSupportedException or SoftNativeLibraryException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
