package dev.workspacesweb.exporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RowsTest {
    private static final List<Rows.Column> COLUMNS = List.of(
            new Rows.Column("id", "ID", 4), new Rows.Column("ips", "IPS", 0));

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "alice|alice",
        "a,b|`\"a,b\"`",
        "say \"hi\"|`\"say \"\"hi\"\"\"`",
        "=1+1|'=1+1",
        "+1|'+1",
        "-1|'-1",
        "@SUM(A1)|'@SUM(A1)",
        "=A1,B1|`\"'=A1,B1\"`",
        "` lead`|`\" lead\"`",
    })
    void csvQuotesAndDefusesFormulas(String value, String expected) {
        assertThat(Rows.csvField(value)).isEqualTo(expected);
    }

    @Test
    void csvQuotesLineBreaks() {
        assertThat(Rows.csvField("a\nb")).isEqualTo("\"a\nb\"");
        assertThat(Rows.csvField("a\r\nb")).isEqualTo("\"a\r\nb\"");
    }

    @Test
    void tablesShowWhatATerminalWouldActOnOrHide() {
        assertThat(Rows.printable("plain ünïcödé 名前")).isEqualTo("plain ünïcödé 名前");
        assertThat(Rows.printable("\u001b[2Jx")).isEqualTo("\\u001b[2Jx");
        assertThat(Rows.printable("evil\u202Egnp.exe")).isEqualTo("evil\\u202egnp.exe");
        assertThat(Rows.printable("zero\u200Bwidth\u0085\u007f")).isEqualTo("zero\\u200bwidth\\u0085\\u007f");
    }

    @Test
    void timesHaveAFixedWidth() {
        assertThat(Rows.time(Instant.parse("2026-03-02T09:00:00Z"))).isEqualTo("2026-03-02T09:00:00.000Z");
        assertThat(Rows.time(Instant.parse("2026-03-02T09:00:00.123456Z"))).isEqualTo("2026-03-02T09:00:00.123Z");
        assertThat(Rows.time(null)).isNull();
    }

    @Test
    void anEmptyListingIsStillADocument() throws Exception {
        assertThat(render(OutputFormat.json)).isEqualTo("[ ]\n".replace("\n", System.lineSeparator()));
        assertThat(new ObjectMapper().readTree(render(OutputFormat.json)).isArray()).isTrue();
        assertThat(render(OutputFormat.csv)).isEqualTo("ID,IPS\r\n");
        assertThat(render(OutputFormat.table).strip()).isEqualTo("ID    IPS");
    }

    @Test
    void jsonKeepsTypesAndLists() throws Exception {
        StringWriter sw = new StringWriter();
        try (Rows rows = Rows.list(OutputFormat.json, new PrintWriter(sw), COLUMNS)) {
            rows.row("a", List.of("1.2.3.4", "5.6.7.8"));
            rows.flush();
            rows.row(null, List.of());
        }
        var tree = new ObjectMapper().readTree(sw.toString());
        assertThat(tree.toString()).isEqualTo("[{\"id\":\"a\",\"ips\":[\"1.2.3.4\",\"5.6.7.8\"]},{\"id\":null,\"ips\":[]}]");
    }

    private static String render(OutputFormat format) {
        StringWriter sw = new StringWriter();
        try (Rows rows = Rows.list(format, new PrintWriter(sw), COLUMNS)) {
            rows.flush();
        }
        return sw.toString();
    }
}
