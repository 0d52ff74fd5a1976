// EPUBCheck for many books in one Java run (starting the JVM costs seconds a book).
// Run by tests/test_epub.py with Java's source launcher: java -cp epubcheck.jar:lib/* CheckMany.java a.epub ...
// Prints each book with its count of fatal errors, errors and warnings; the messages go to standard error.
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class CheckMany {
    public static void main(String[] args) {
        int bad = 0;
        for (String path : args) {
            DefaultReportImpl report = new DefaultReportImpl(path);
            new EpubCheck(new File(path), report).doValidate();
            int n = report.getFatalErrorCount() + report.getErrorCount() + report.getWarningCount();
            System.out.println(path + "\t" + n);
            if (n > 0) bad++;
        }
        System.exit(bad == 0 ? 0 : 1);
    }
}
