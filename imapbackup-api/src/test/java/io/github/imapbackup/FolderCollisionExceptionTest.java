package io.github.imapbackup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FolderCollisionExceptionTest {

    private static Map<String, List<String>> collisions(int n) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
            m.put("New/F" + i, List.of("New/F" + i, "F" + i));
        }
        return m;
    }

    @Test
    void aFewCollisionsAreAllNamed() {
        FolderCollisionException e = new FolderCollisionException("imap://b@host", Map.of("Both",
                List.of("A", "B", "C")));
        assertThat(e.getMessage()).isEqualTo("the source folders \"A\", \"B\" and \"C\" would all go into \"Both\""
                + " on imap://b@host; nothing was copied nor created: folders are never merged, so add a rename"
                + " rule for one of them or exclude it");
        FolderCollisionException ten = new FolderCollisionException("t", collisions(FolderCollisionException.NAMED));
        assertThat(ten.getMessage()).contains("\"New/F1\" and \"F1\" would both go into \"New/F1\"; ")
                .contains("\"New/F10\" and \"F10\" would both go into \"New/F10\" on t;").doesNotContain("more");
    }

    @Test
    void manyCollisionsNameTheFirstTenAndCountTheRestWhileTheExceptionKeepsThemAll() {
        FolderCollisionException e = new FolderCollisionException("t", collisions(250));
        assertThat(e.getMessage()).contains("would both go into \"New/F10\"; and 240 more target folders likewise on t;")
                .doesNotContain("\"New/F11\"").hasSizeLessThan(1_500);
        assertThat(e.collisions()).hasSize(250).containsKey("New/F250");
        assertThat(new FolderCollisionException("t", collisions(11)).getMessage())
                .contains("; and 1 more target folder likewise on t;");
    }

    @Test
    void aMapWithoutACollisionIsRefused() {
        assertThatThrownBy(() -> new FolderCollisionException("t", Map.of("A", List.of("A"))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
