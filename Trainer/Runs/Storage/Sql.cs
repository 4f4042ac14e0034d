using System.Data.Common;
using System.Globalization;

namespace AspireSimClr.Trainer.Runs.Storage;

/// <summary>
/// Commands on a transaction's connection, enlisted in that transaction (every statement of the store runs in one),
/// with @-named parameters both engines take; and the one way times are written.
/// </summary>
internal static class Sql
{
    public static DbCommand Command(DbTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) Parameter(command, name, value);
        return command;
    }

    public static int Execute(DbTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static T Scalar<T>(DbTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>The first column of every row.</summary>
    public static List<string> Strings(DbTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(reader.GetString(0));
        return values;
    }

    public static DbParameter Parameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>
    /// UTC with seven fractional digits and a Z, always the same width: as text, these compare in time order on
    /// both engines (lease expiry, newest-first lists). Schema version 13 rewrote the times written before in this form.
    /// </summary>
    public static string? Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ReadTime(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static double? NullableDouble(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
}
