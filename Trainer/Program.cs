using AspireSimClr.Trainer.Cli;

return await CliApp.RunAsync(args);
