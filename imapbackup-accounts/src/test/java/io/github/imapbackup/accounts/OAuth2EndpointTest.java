package io.github.imapbackup.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OAuth2EndpointTest {

    @Test
    void presets() {
        assertThat(OAuth2Endpoint.GOOGLE.tokenUri()).hasToString("https://oauth2.googleapis.com/token");
        assertThat(OAuth2Endpoint.MICROSOFT.tokenUri())
                .hasToString("https://login.microsoftonline.com/common/oauth2/v2.0/token");
        assertThat(OAuth2Endpoint.MICROSOFT.scope()).contains("IMAP.AccessAsUser.All").contains("offline_access");
        assertThat(OAuth2Endpoint.microsoft("contoso.onmicrosoft.com").tokenUri())
                .hasToString("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
    }

    @Test
    void parsesNamesAndUrls() {
        assertThat(OAuth2Endpoint.parse("Google")).isEqualTo(OAuth2Endpoint.GOOGLE);
        assertThat(OAuth2Endpoint.parse("gmail")).isEqualTo(OAuth2Endpoint.GOOGLE);
        assertThat(OAuth2Endpoint.parse("microsoft")).isEqualTo(OAuth2Endpoint.MICROSOFT);
        assertThat(OAuth2Endpoint.parse("office365")).isEqualTo(OAuth2Endpoint.MICROSOFT);
        assertThat(OAuth2Endpoint.parse("microsoft:contoso.com")).isEqualTo(OAuth2Endpoint.microsoft("contoso.com"));
        assertThat(OAuth2Endpoint.parse("https://sso.example.org/token"))
                .isEqualTo(new OAuth2Endpoint("sso.example.org", URI.create("https://sso.example.org/token"), null));
        assertThat(OAuth2Endpoint.parse("http://localhost:8080/token").tokenUri().getPort()).isEqualTo(8080);
        assertThat(OAuth2Endpoint.parse("http://[::1]:8080/token").name()).isEqualTo("[::1]");
    }

    @Test
    void theProvidersUrlsGiveTheirPresets() {
        assertThat(OAuth2Endpoint.of(URI.create("https://oauth2.googleapis.com/token"))).isEqualTo(OAuth2Endpoint.GOOGLE);
        assertThat(OAuth2Endpoint.of(URI.create("https://login.microsoftonline.com/common/oauth2/v2.0/token")))
                .isEqualTo(OAuth2Endpoint.MICROSOFT);
        assertThat(OAuth2Endpoint.of(URI.create("https://login.microsoftonline.com/t1/oauth2/v2.0/token")).scope())
                .isEqualTo(OAuth2Endpoint.MICROSOFT_IMAP_SCOPE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yahoo", "http://oauth.example.org/token", "ftp://x/token", "microsoft:a/b", "", "/token"})
    void refusesWhatIsNoEndpoint(String text) {
        assertThatThrownBy(() -> OAuth2Endpoint.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.isEmpty() ? "\"\"" : text.replace("microsoft:", ""));
    }
}
