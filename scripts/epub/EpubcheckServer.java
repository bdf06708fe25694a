/*
 * A warm EPUBCheck for scripts/epub/validate.ts: one JVM that checks EPUBs on request, so the cost
 * of starting Java and compiling EPUBCheck's schemas (about 2 s) is paid once, early in the build.
 *
 * Usage: java -cp <this folder>:<epubcheck.jar> EpubcheckServer <warm-up.epub> <warm-up.json>
 *
 * It checks the warm-up EPUB at once and prints `ready <exit code>`, then reads requests on stdin,
 * one a line: `<epub path>\t<report path>`. Each is the command line `epubcheck <epub> --json
 * <report>` run by EPUBCheck's own CLI class, so the report is the CLI's; the answer is one line,
 * `done <exit code>`. It ends when stdin closes. EPUBCheck prints its progress to System.out, so
 * the protocol keeps the real stdout and System.out goes to stderr.
 */
import com.adobe.epubcheck.tool.EpubChecker;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;

public final class EpubcheckServer {
  public static void main(String[] args) throws Exception {
    PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
    System.setOut(System.err);
    protocol.println("ready " + check(args[0], args[1]));
    BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
    for (String line = requests.readLine(); line != null; line = requests.readLine()) {
      int tab = line.indexOf('\t');
      int code = tab < 0 ? -2 : check(line.substring(0, tab), line.substring(tab + 1));
      protocol.println("done " + code);
    }
  }

  /** The CLI's exit code (0 valid, 1 errors), or -1 when EPUBCheck itself failed. */
  private static int check(String epub, String report) {
    try {
      return new EpubChecker().run(new String[] {epub, "--json", report});
    } catch (Throwable error) {
      error.printStackTrace();
      return -1;
    }
  }
}
