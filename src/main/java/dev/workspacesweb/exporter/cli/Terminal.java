package dev.workspacesweb.exporter.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Where a destructive command asks for confirmation: the user's terminal, if there is one. */
interface Terminal {
    /** Whether a person can answer: stdin and stdout are a terminal. */
    boolean interactive();

    /** Prints the prompt and reads one line; null at end of input. */
    String readLine(String prompt);

    /** The process's console. */
    static Terminal system() {
        return new Terminal() {
            @Override
            public boolean interactive() {
                Console console = System.console();
                if (console == null) {
                    return false;
                }
                // Since Java 22 System.console() may return a console even when stdin is a pipe; isTerminal() tells.
                // Looked up by reflection because the code is compiled for Java 21.
                try {
                    Method isTerminal = Console.class.getMethod("isTerminal");
                    return (Boolean) isTerminal.invoke(console);
                } catch (NoSuchMethodException e) {
                    return true; // Java 21: a console is only returned for a terminal
                } catch (ReflectiveOperationException e) {
                    return false;
                }
            }

            @Override
            public String readLine(String prompt) {
                Console console = System.console();
                return console == null ? null : console.readLine("%s", prompt);
            }
        };
    }

    /** Whether the answer is yes: "y" or "yes", any case; anything else, or no answer, is no. */
    static boolean yes(String answer) {
        return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
    }
}
