package io.github.imapbackup.accounts.internal;

import io.github.imapbackup.accounts.OAuth2Endpoint;
import io.github.imapbackup.accounts.CredentialsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads secrets from files, the environment and commands; messages never hold a secret. */
public final class SecretReading {

    private static final Logger LOG = LoggerFactory.getLogger(SecretReading.class);
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** The most bytes read from a secret file or a command's output: a secret is a line. */
    private static final int MAX_BYTES = 64 * 1024;
    /** Files already warned about, so that a run warns once per file, not once per connection. */
    private static final Set<Path> WARNED = ConcurrentHashMap.newKeySet();

    private SecretReading() { }

    /** {@return whether the text is a name the shell accepts for an environment variable} */
    public static boolean isVariableName(String name) {
        return VARIABLE_NAME.matcher(name).matches();
    }

    /**
     * Reads the first line of a file (without its line end).
     *
     * @param file the file
     * @param what what the file is, for messages ("the password file")
     * @return the secret
     * @throws CredentialsException naming the file when it is missing, unreadable or its first line empty
     */
    public static char[] firstLine(Path file, String what) throws CredentialsException {
        char[] line = read(file, what);
        warnIfOthersCanRead(file, what).ifPresent(LOG::warn);
        return line;
    }

    /**
     * Reads the first line of a file (without its line end), at most {@value #MAX_BYTES} bytes of
     * it; says nothing about who else may read it ({@link #warnIfOthersCanRead}).
     *
     * @param file the file
     * @param what what the file is, for messages ("the password file")
     * @return the secret
     * @throws CredentialsException naming the file when it is missing, unreadable or its first line empty
     */
    public static char[] read(Path file, String what) throws CredentialsException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES);
        } catch (NoSuchFileException e) {
            throw new CredentialsException(what + " " + file + " does not exist (give a file whose first line is the"
                    + " secret)", null);
        } catch (AccessDeniedException e) {
            throw new CredentialsException(what + " " + file + " cannot be read: permission denied", null);
        } catch (IOException e) {
            String why = Files.isDirectory(file) ? "is a directory, not a file" : "cannot be read: " + e.getMessage();
            throw new CredentialsException(what + " " + file + " " + why, null);
        }
        char[] line = firstLine(bytes);
        if (line.length == 0) {
            throw new CredentialsException(what + " " + file + ": its first line is empty (put the secret on the "
                    + "first line)", null);
        }
        return line;
    }

    /**
     * Says whether other users may read a secret file (once per file and run): the warning names
     * the file, who may read it and the command that mends it.
     *
     * @param file the file
     * @param what what the file is, for the message
     * @return the warning, when the file is readable by its group or others and was not warned about yet
     */
    public static Optional<String> warnIfOthersCanRead(Path file, String what) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            boolean others = perms.contains(PosixFilePermission.OTHERS_READ);
            if ((others || perms.contains(PosixFilePermission.GROUP_READ))
                    && WARNED.add(file.toAbsolutePath().normalize())) {
                return Optional.of(what + " " + file + " is readable by " + (others ? "every user of this machine"
                        : "the users of its group") + " (" + PosixFilePermissions.toString(perms) + "): run chmod 600 "
                        + shellQuoted(file.toString()));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system, or gone: nothing to say
        }
        return Optional.empty();
    }

    /** {@return a path as a shell takes it: as it is when it holds only safe characters, else in single quotes} */
    static String shellQuoted(String path) {
        return path.matches("[A-Za-z0-9_./@%+=:,-]+") ? path : "'" + path.replace("'", "'\\''") + "'";
    }

    /**
     * Reads an environment variable.
     *
     * @param name the variable's name
     * @return its value
     * @throws CredentialsException when it is not set or empty
     */
    public static char[] environment(String name) throws CredentialsException {
        String v = System.getenv(name);
        if (v == null) {
            throw new CredentialsException("no environment variable of the name given is set (set it in the "
                    + "environment of the backup; the name is not shown here in case it was the secret itself)", null);
        }
        if (v.isEmpty()) {
            throw new CredentialsException("the environment variable " + name + " is set, but empty", null);
        }
        return v.toCharArray();
    }

    /**
     * Runs a command and reads the first line of its standard output. Its standard error goes to
     * ours; its standard input is empty.
     *
     * @param argv the program and its arguments
     * @param timeout how long it may take
     * @return the first line of its output
     * @throws CredentialsException naming the program (never its output) when it cannot start,
     *     fails, prints nothing or takes too long
     */
    public static char[] command(List<String> argv, Duration timeout) throws CredentialsException {
        String program = "the password command " + argv.get(0);
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new CredentialsException(program + " cannot be started (is it installed and on the PATH?): "
                    + e.getMessage(), null);
        }
        byte[] out = null;
        try {
            process.getOutputStream().close();
            FutureTask<byte[]> output = new FutureTask<>(() -> readOutput(process));
            Thread reader = new Thread(output, "password-command-output");
            reader.setDaemon(true);
            reader.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new CredentialsException(program + " did not finish within " + seconds(timeout)
                        + " (it was stopped); does it wait for input?", null);
            }
            out = output.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (process.exitValue() != 0) {
                throw new CredentialsException(program + " failed with exit status " + process.exitValue()
                        + " (its output is not shown)", null);
            }
            char[] line = firstLine(out);
            if (line.length == 0) {
                throw new CredentialsException(program + " printed nothing on the first line of its output", null);
            }
            return line;
        } catch (CredentialsException e) {
            throw e;
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new CredentialsException(program + ": its output could not be read", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CredentialsException(program + ": interrupted", e);
        } finally {
            // the command first, so that it runs nothing more once its children are gone
            List<ProcessHandle> children = process.descendants().toList();
            process.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            if (out != null) {
                Arrays.fill(out, (byte) 0);
            }
        }
    }

    private static byte[] readOutput(Process process) throws IOException {
        try (InputStream in = process.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BYTES);
            in.transferTo(OutputStream.nullOutputStream());
            return bytes;
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** The first line (up to CR or LF) of UTF-8 bytes; the bytes are overwritten. */
    private static char[] firstLine(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
            end++;
        }
        CharBuffer cb = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, end));
        char[] result = new char[cb.remaining()];
        cb.get(result);
        Arrays.fill(bytes, (byte) 0);
        if (cb.hasArray()) {
            Arrays.fill(cb.array(), '\0');
        }
        return result;
    }

    /**
     * Checks a token endpoint: https, or http only on a loopback address (a local test endpoint).
     *
     * @param endpoint the endpoint
     * @throws IllegalArgumentException if it is anything else
     */
    public static void checkTokenEndpoint(URI endpoint) {
        OAuth2Endpoint.of(endpoint); // its constructor checks the URL
    }

    /**
     * Whether a host name is a loopback address ({@code localhost}, {@code 127.x.x.x}, {@code ::1}),
     * without asking DNS.
     *
     * @param host the host
     * @return true for a loopback address
     */
    public static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost") || h.toLowerCase(Locale.ROOT).endsWith(".localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
