global using AspireSimClr.Contracts;
