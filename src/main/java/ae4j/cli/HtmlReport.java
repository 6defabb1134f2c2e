package ae4j.cli;

import ae4j.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/** A self-contained HTML page: sections of text, tables and PNG figures embedded as data URIs. */
final class HtmlReport {
    private final StringBuilder body = new StringBuilder();
    private final String title;

    HtmlReport(String title) {
        this.title = title;
    }

    HtmlReport heading(String text) {
        body.append("<h2>").append(escape(text)).append("</h2>\n");
        return this;
    }

    HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** The first row is the header. */
    HtmlReport table(List<List<String>> rows) {
        body.append("<table>\n");
        for (int r = 0; r < rows.size(); r++) {
            body.append("<tr>");
            for (String cell : rows.get(r)) {
                String tag = r == 0 ? "th" : "td";
                body.append('<').append(tag).append('>').append(escape(cell)).append("</").append(tag).append('>');
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    HtmlReport image(Path png, String caption) throws IOException {
        String data = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
        body.append("<figure><img src=\"data:image/png;base64,").append(data).append("\" alt=\"").append(escape(caption))
                .append("\"><figcaption>").append(escape(caption)).append(" (").append(escape(png.getFileName().toString()))
                .append(")</figcaption></figure>\n");
        return this;
    }

    void write(Path file) throws IOException {
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>\n<style>"
                + "body{font-family:sans-serif;max-width:1250px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}"
                + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}"
                + "img{max-width:100%;border:1px solid #ddd}figcaption{color:#555;font-size:90%}</style></head>\n<body>\n<h1>"
                + escape(title) + "</h1>\n" + body + "</body></html>\n";
        AtomicFile.writeString(file, html);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
