package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.imapbackup.testing.Seeds;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessagesTest {

    @RegisterExtension
    final Seeds seeds = new Seeds();

    private static String sender(String header) {
        byte[] bytes = ("xx" + header).getBytes(StandardCharsets.UTF_8);
        return Messages.sender(bytes, 2, bytes.length - 2);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            From: Carol <carol@example.org>\\r\\n\\r\\n                                 | carol@example.org
            FROM: carol@example.org (Carol)\\r\\n                                        | carol@example.org
            from:\\r\\n \\"Dave, D.\\" <dave@example.net>\\r\\n                          | dave@example.net
            Message-ID: <a@b>\\r\\nFrom: <x@y.example>\\r\\nSender: s@y.example\\r\\n     | x@y.example
            Sender: s@y.example\\r\\nFrom: <x@y.example>\\r\\n                          | x@y.example
            From: undisclosed-recipients:;\\r\\nSender: s@y.example\\r\\n                | s@y.example
            From: Nobody\\r\\n                                                          | NULL
            From: Jürgen <jürgen@bücher.example>\\r\\n                                  | jürgen@bücher.example
            From: Broken <<a@b.example>\\r\\n                                            | a@b.example
            From: a@b.example, c@d.example\\nSender: e@f.example\\n                      | a@b.example
            Message-ID: <only@id>\\r\\n\\r\\n                                              | NULL
            X-From: x@y.example\\r\\nFrom:\\r\\n\\tz@y.example\\r\\n                     | z@y.example
            fRoM : <odd@case.example>\\r\\n                                        | odd@case.example
            From: \\"Long\\r\\n Name\\" <split@fold.example>\\r\\n                  | split@fold.example
            From: <split@\\r\\n\\tfold.example>\\r\\n                                 | NULL
            ` \\r\\n x\\r\\nFrom: a@b.example\\r\\n`                                    | a@b.example
            From\\r\\n : fold@name.example\\r\\n                                     | fold@name.example
            Sender: s@y.example\\r\\n\\r\\nFrom: after@end.example\\r\\n               | s@y.example
            To: t@y.example\\r\\n                                                     | NULL
            From: a@b.example\\rX-Y: z\\r\\n                                            | a@b.example
            ` From: lead@line.example\\r\\n`                                       | lead@line.example
            From: Dörte Größe <dörte@größe.example>\\nSender: s@x.example\\n          | dörte@größe.example
            """, nullValues = "NULL")
    void senderIsTheFirstAddressOfFromElseSender(String header, String expected) {
        String h = header.replace("\\r", "\r").replace("\\n", "\n").replace("\\\"", "\"").replace("\\t", "\t");
        assertThat(sender(h)).isEqualTo(expected);
    }

    /** Whatever the bytes, the sender is null or one From_-line-safe token; nothing throws. */
    @org.junit.jupiter.api.Test
    void garbageNeverThrowsAndGivesAUsableTokenOrNull() {
        long seed = seeds.pick();
        java.util.Random random = new java.util.Random(seed);
        String alphabet = "From:Sender: <>@\"(),;:\\\r\n\t abc.\u00e9=?utf-8?q?";
        for (int i = 0; i < 5_000; i++) {
            StringBuilder sb = new StringBuilder(random.nextBoolean() ? "From: " : "Sender:");
            int n = random.nextInt(60);
            for (int j = 0; j < n; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            byte[] bytes = sb.toString().getBytes(random.nextBoolean() ? StandardCharsets.UTF_8
                    : StandardCharsets.ISO_8859_1);
            String header = sb.toString();
            assertThat(Messages.sender(bytes, 0, bytes.length))
                    .as("seed %d (-Dimapbackup.seed=%d), header %s", seed, seed, header)
                    .satisfiesAnyOf(a -> assertThat(a).isNull(),
                            a -> assertThat(a).contains("@").doesNotContainAnyWhitespaces()
                                    .doesNotContain("<", ">", ","));
        }
    }

    @org.junit.jupiter.api.Test
    void invalidUtf8IsReadAsLatin1() {
        byte[] header = "From: J\u00fcrgen <j@x.example>\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Messages.sender(header, 0, header.length)).isEqualTo("j@x.example");
    }

    /** The reading of the fields is exactly Jakarta Mail's InternetHeaders', on any bytes. */
    @org.junit.jupiter.api.Test
    void fieldsAreReadAsJakartaMailReadsThem() {
        long seed = seeds.pick();
        java.util.Random random = new java.util.Random(seed);
        String[] tokens = {"From", "from", "FROM", "Sender", "\u017fender", "X-From", "Message-ID", ":", ": ",
            " ", "\t", "\r\n", "\n", "\r", "\r\r\n", "\r\r", "\r\n ", "\r\n\t", "\r\n\r\n", "<a@b.example>",
            "c@d.example", "\"Q, R\"", "(c)", ",", "\u00fc", "\u00e9t\u00e9", "\u0000", "\u000b", "x"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(14);
            for (int j = 0; j < n; j++) {
                sb.append(tokens[random.nextInt(tokens.length)]);
            }
            byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
            byte[] bytes = new byte[text.length + 4];
            System.arraycopy(text, 0, bytes, 2, text.length);
            if (random.nextInt(4) == 0 && text.length > 0) {
                bytes[2 + random.nextInt(text.length)] = (byte) (0x80 + random.nextInt(128)); // 8-bit, maybe not UTF-8
            }
            bytes[0] = 'F';
            bytes[bytes.length - 1] = 'x';
            String[] theirs;
            try {
                theirs = JakartaSender.fields(bytes, 2, text.length);
            } catch (IndexOutOfBoundsException e) {
                // Jakarta Mail 2.1 fails on continuation lines before the first field (with
                // nothing before them); SenderFields drops those lines (a case above)
                continue;
            }
            SenderFields mine = SenderFields.read(bytes, 2, text.length);
            assertThat(new String[] {mine.from, mine.sender})
                    .as("seed %d (-Dimapbackup.seed=%d), header %s", seed, seed,
                            java.util.HexFormat.of().formatHex(bytes, 2, 2 + text.length))
                    .containsExactly(theirs);
        }
    }
}
