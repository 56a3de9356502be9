package io.github.imapbackup.examples.demo;

import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * An embedded IMAP server (GreenMail) on a free loopback port, plain IMAP, holding one account.
 * For the demo and for tests; {@link #close()} stops it.
 *
 * <pre>{@code
 * try (DemoServer server = DemoServer.start("demo", "demo")) {
 *     server.load(SampleAccount.generate(1));
 *     // connect to 127.0.0.1:server.port() with user demo, password demo
 * }
 * }</pre>
 */
public final class DemoServer implements Closeable {

    /** The loopback address the server listens on. */
    public static final String HOST = "127.0.0.1";

    private final GreenMail greenMail;
    private final GreenMailUser user;
    private final String login;

    private DemoServer(GreenMail greenMail, GreenMailUser user, String login) {
        this.greenMail = greenMail;
        this.user = user;
        this.login = login;
    }

    /**
     * Starts a server with one account.
     *
     * @param login the login name (also the local part of the address)
     * @param password the password
     * @return the running server
     */
    public static DemoServer start(String login, String password) {
        ServerSetup setup = new ServerSetup(0, HOST, ServerSetup.PROTOCOL_IMAP).dynamicPort();
        GreenMail gm = new GreenMail(setup);
        gm.start();
        try {
            GreenMailUser u = gm.setUser(login + "@demo.example", login, password);
            return new DemoServer(gm, u, login);
        } catch (RuntimeException e) {
            gm.stop();
            throw e;
        }
    }

    /** {@return the port the server listens on} */
    public int port() {
        return greenMail.getImap().getPort();
    }

    /** {@return the login name} */
    public String login() {
        return login;
    }

    /**
     * Creates the folders (parents first) and appends the messages with their flags and dates.
     * Folder names are given decoded (GreenMail encodes them in modified UTF-7 on the wire).
     *
     * @param messages the messages
     * @return message counts per folder, in creation order
     * @throws IOException if a message cannot be parsed or stored
     */
    public Map<String, Integer> load(List<SampleMessage> messages) throws IOException {
        ImapHostManager manager = greenMail.getManagers().getImapHostManager();
        Map<String, MailFolder> folders = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        Session session = Session.getInstance(new Properties());
        try {
            for (SampleMessage m : messages) {
                MailFolder folder = folders.get(m.folder());
                if (folder == null) {
                    folder = folder(manager, m.folder());
                    folders.put(m.folder(), folder);
                    if (!m.folder().startsWith("Bills")) {
                        manager.subscribe(user, m.folder());
                    }
                }
                MimeMessage mime = new MimeMessage(session, new ByteArrayInputStream(m.content()));
                folder.appendMessage(mime, flags(m), Date.from(m.internalDate()));
                counts.merge(m.folder(), 1, Integer::sum);
            }
        } catch (MessagingException | com.icegreen.greenmail.store.FolderException
                | com.icegreen.greenmail.imap.AuthorizationException e) {
            throw new IOException("cannot load the sample account: " + e.getMessage(), e);
        }
        return counts;
    }

    /**
     * Returns a folder of the account, by its decoded name.
     *
     * @param name the name
     * @return the folder, or null
     */
    public MailFolder folder(String name) {
        return greenMail.getManagers().getImapHostManager().getFolder(user, name);
    }

    /**
     * Changes the password (for tests of refused logins).
     *
     * @param password the new password
     */
    public void password(String password) {
        user.setPassword(password);
    }

    private MailFolder folder(ImapHostManager manager, String name)
            throws com.icegreen.greenmail.store.FolderException, com.icegreen.greenmail.imap.AuthorizationException {
        MailFolder existing = manager.getFolder(user, name);
        if (existing != null) {
            return existing;
        }
        return manager.createMailbox(user, name);
    }

    private static Flags flags(SampleMessage m) {
        Flags f = new Flags();
        for (String flag : m.flags()) {
            switch (flag.toLowerCase(java.util.Locale.ROOT)) {
                case "\\seen" -> f.add(Flags.Flag.SEEN);
                case "\\flagged" -> f.add(Flags.Flag.FLAGGED);
                case "\\answered" -> f.add(Flags.Flag.ANSWERED);
                case "\\draft" -> f.add(Flags.Flag.DRAFT);
                case "\\deleted" -> f.add(Flags.Flag.DELETED);
                default -> f.add(flag);
            }
        }
        return f;
    }

    /** Stops the server; idempotent. */
    @Override
    public void close() {
        greenMail.stop();
    }
}
