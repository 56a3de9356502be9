/** An application on the module path that needs only the mbox module; codecs come by service binding. */
module probe.app {
    requires io.github.imapbackup.mbox;
}
