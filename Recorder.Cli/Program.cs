// The `recorder` command. Verbs arrive with the issues that implement them
// (see README.md, "CLI"); until then it only says so.
Console.Error.WriteLine("recorder: error: no verbs are implemented yet");
Console.Error.WriteLine("recorder: hint: see README.md, section CLI");
return 2;
