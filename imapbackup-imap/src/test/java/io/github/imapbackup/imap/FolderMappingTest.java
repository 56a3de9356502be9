package io.github.imapbackup.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.imapbackup.FolderException;
import io.github.imapbackup.FolderInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * A migration's folder names (docs/ARCHITECTURE.md, "The IMAP target"): host1's prefix stripped,
 * split at host1's delimiter, joined with host2's, under host2's prefix, INBOX kept, then the
 * rename rules.
 */
class FolderMappingTest {

    private static FolderInfo folder(String name, String delimiter, String... attributes) {
        return new FolderInfo(name, delimiter, Set.of(attributes), true);
    }

    private static NameRules rules(String sourcePrefix, String sourceDelimiter, String... rules) {
        return new NameRules(sourcePrefix, sourceDelimiter,
                Arrays.stream(rules).map(RenameRule::parse).toList());
    }

    @ParameterizedTest(name = "[{index}] {0} ({1}, prefix1 \"{2}\") -> ({3}, prefix2 \"{4}\") = {5}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            Archive/2019/Q3     | /  | ""      | .  | INBOX. | INBOX.Archive.2019.Q3
            INBOX               | /  | ""      | .  | INBOX. | INBOX
            INBOX/Sub           | /  | ""      | .  | INBOX. | INBOX.Sub
            INBOX.Archive.2019  | .  | INBOX.  | /  | ""     | Archive/2019
            INBOX               | .  | INBOX.  | /  | ""     | INBOX
            INBOX.INBOX         | .  | INBOX.  | /  | ""     | INBOX
            inbox.Sent          | .  | INBOX.  | .  | INBOX. | INBOX.Sent
            Work\\Projects      | \\ | ""      | /  | ""     | Work/Projects
            Work/Projects       | /  | ""      | \\ | ""     | Work\\Projects
            INBOX.Work\\Old     | \\ | INBOX.  | .  | INBOX. | INBOX.Work.Old
            Entwürfe/日本       | /  | ""      | .  | INBOX. | INBOX.Entwürfe.日本
            """)
    void delimitersAndPrefixesAreTranslated(String name, String d1, String prefix1, String d2, String prefix2,
            String expected) throws Exception {
        TargetNames names = new TargetNames(d2, "", Map.of(), prefix2, rules(prefix1, null));
        assertThat(names.map(folder(name, d1))).isEqualTo(expected);
    }

    @Test
    void theUsersSourceDelimiterOverridesWhatListSays() throws Exception {
        TargetNames names = new TargetNames("/", "", Map.of(), "", rules("", "."));
        assertThat(names.map(folder("Archive.2019", "/"))).as("LIST lied: '/'").isEqualTo("Archive/2019");
        assertThat(names.map(folder("Archive.2019", ""))).as("LIST said NIL").isEqualTo("Archive/2019");
    }

    @ParameterizedTest(name = "[{index}] {0} by {1} = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            INBOX.Old.Sent      | s/Old/Archive/                    | INBOX.Archive.Sent
            INBOX.old.OLD       | s/old/x/i                         | INBOX.x.OLD
            INBOX.old.OLD       | s/old/x/gi                        | INBOX.x.x
            INBOX.a.a           | s/a/b/                            | INBOX.b.a
            INBOX.a.a           | s/a/b/g                           | INBOX.b.b
            INBOX.2019-Q3       | s#(\\d{4})-(Q\\d)#$2 of $1#       | INBOX.Q3 of 2019
            INBOX.a/b           | s/a\\/b/ab/                       | INBOX.ab
            INBOX.Projects      | s/^INBOX\\.//                     | Projects
            INBOX.Nothing       | s/Zzz/Y/                          | INBOX.Nothing
            """)
    void renameRulesApplyToTheTargetName(String name, String rule, String expected) throws Exception {
        TargetNames names = new TargetNames(".", "", Map.of(), "", rules("", null, rule));
        assertThat(names.map(folder(name, "."))).isEqualTo(expected);
    }

    @Test
    void rulesApplyInOrderAfterPrefixAndDelimiter() throws Exception {
        TargetNames names = new TargetNames(".", "", Map.of(), "INBOX.",
                rules("", null, "s/^INBOX\\.Old\\./INBOX.Archive./", "s/Archive/Attic/"));
        assertThat(names.map(folder("Old/Sent", "/"))).isEqualTo("INBOX.Attic.Sent");
    }

    @Test
    void specialUseMapsFirstAndARuleStillAppliesWhereItMatches() throws Exception {
        Map<String, String> special = Map.of("\\Sent", "Sent Messages", "\\Trash", "Trash");
        TargetNames names = new TargetNames("/", "", special, "", rules("", null, "s/^Sent Messages$/Sent/"));
        assertThat(names.map(folder("Gesendet", "/", "\\Sent"))).isEqualTo("Sent");
        assertThat(names.map(folder("Papierkorb", "/", "\\Trash"))).isEqualTo("Trash");
        TargetNames off = new TargetNames("/", "", Map.of(), "", rules("", null));
        assertThat(off.map(folder("Gesendet", "/", "\\Sent"))).as("no special-use (--noautomap)")
                .isEqualTo("Gesendet");
    }

    @Test
    void aRuleThatEmptiesANameOrLeavesADelimiterAtAnEndFailsThatFolder() throws Exception {
        TargetNames empty = new TargetNames(".", "", Map.of(), "", rules("", null, "s/.*//"));
        assertThatThrownBy(() -> empty.map(folder("Junk", ".")))
                .isInstanceOf(FolderException.class).hasMessageContaining("\"Junk\"").hasMessageContaining("empty");
        TargetNames trailing = new TargetNames(".", "", Map.of(), "", rules("", null, "s/Old$//"));
        assertThatThrownBy(() -> trailing.map(folder("Archive.Old", ".")))
                .isInstanceOf(FolderException.class).hasMessageContaining("\"Archive.\"")
                .hasMessageContaining("delimiter");
        assertThat(trailing.map(folder("Archive.Old.Sent", "."))).isEqualTo("Archive.Old.Sent");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            y/a/b/          | s/REGEX/REPLACEMENT/FLAGS
            s/a/b           | s/REGEX/REPLACEMENT/FLAGS
            sabc            | s/REGEX/REPLACEMENT/FLAGS
            s/(/x/          | does not compile
            s/a/b/x         | flag 'x'
            s/a/$2/         | $
            s/(a)/\\/       | form
            """)
    void aMalformedRuleIsRefusedAtBuildTimeByName(String rule, String why) {
        ImapTarget.Builder builder = ImapTarget.builder(ImapSource.builder().host("h").user("u")
                .password(() -> new char[] {'p'}).build());
        assertThatThrownBy(() -> builder.rename(rule)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + rule + "\"").hasMessageContaining(why);
    }

    @Test
    void delimitersAreOneCharacter() {
        ImapTarget.Builder builder = ImapTarget.builder(ImapSource.builder().host("h").user("u")
                .password(() -> new char[] {'p'}).build());
        assertThatThrownBy(() -> builder.delimiter("::")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.sourceDelimiter("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(builder.delimiter(null), builder.sourceDelimiter("."))).hasSize(2);
    }
}
