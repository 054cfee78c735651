package io.github.dgstream.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * Draws the sweep CSV written by {@link LoadHarness} as a PNG with plain AWT (headless): client threads, heap per
 * stream and p99 message-to-handler latency against the number of streams (log scale), engine vs bare, with the
 * targets dashed. Rows with faults are left out. {@code java -Djava.awt.headless=true -cp dgstream-bench.jar
 * io.github.dgstream.bench.Chart results.csv chart.png [subtitle]}
 */
public final class Chart {
    private static final int W = 1500;
    private static final int H = 520;
    private static final Color ENGINE = new Color(0x1f77b4);
    private static final Color BARE = new Color(0xd62728);
    private static final Color BARE_HANDOFF = new Color(0xff7f0e);

    private Chart() {}

    private record Panel(String title, String column, String peakColumn, double target, boolean logY) {}

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            String[] cells = l.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size() && i < cells.length; i++) {
                row.put(header.get(i), cells[i]);
            }
            if ("0".equals(row.get("fault_every_s"))
                    && row.getOrDefault("error", "").isEmpty()) {
                rows.add(row);
            }
        }
        List<Panel> panels = List.of(
                new Panel(
                        "client threads (steady, peak dotted)",
                        "threads_client_steady",
                        "threads_client_peak",
                        32,
                        false),
                new Panel(
                        "heap per stream after GC, KiB (replay buffer excluded)",
                        "heap_per_stream_kib",
                        null,
                        100,
                        false),
                new Panel("p99 emulator-send to handler latency, ms", "lat_p99_ms", null, 5, true));
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(
                "dgstream load sweep: engine (blue) vs bare JDK WebSocket + Jackson (red) and the same with its"
                        + " handler on a pool (orange); dashed = target",
                20,
                24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        if (args.length > 2) {
            g.drawString(args[2], 20, 44);
        }
        int pw = W / panels.size();
        for (int i = 0; i < panels.size(); i++) {
            draw(g, panels.get(i), rows, i * pw + 60, 70, pw - 90, H - 140);
        }
        g.dispose();
        ImageIO.write(img, "png", new File(args[1]));
        System.out.println("wrote " + args[1]);
    }

    private static double num(Map<String, String> row, String col) {
        try {
            return Double.parseDouble(row.getOrDefault(col, "NaN"));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static void draw(Graphics2D g, Panel p, List<Map<String, String>> rows, int x0, int y0, int w, int h) {
        Map<String, TreeMap<Double, double[]>> series = new LinkedHashMap<>();
        double xmin = Double.MAX_VALUE;
        double xmax = 0;
        double ymax = p.target;
        double ymin = p.logY ? p.target : 0;
        for (Map<String, String> r : rows) {
            double x = num(r, "streams");
            double y = num(r, p.column);
            double peak = p.peakColumn == null ? Double.NaN : num(r, p.peakColumn);
            if (Double.isNaN(y)) {
                continue;
            }
            series.computeIfAbsent(r.get("mode"), k -> new TreeMap<>()).put(x, new double[] {y, peak});
            xmin = Math.min(xmin, x);
            xmax = Math.max(xmax, x);
            ymax = Math.max(ymax, Math.max(y, Double.isNaN(peak) ? y : peak));
            if (p.logY && y > 0) {
                ymin = Math.min(ymin, y);
            }
        }
        if (series.isEmpty()) {
            return;
        }
        if (xmin == xmax) {
            xmax = xmin * 10;
        }
        double lx0 = Math.log10(xmin);
        double lx1 = Math.log10(xmax);
        double fy0 = p.logY ? Math.floor(Math.log10(ymin)) : 0;
        double fy1 = p.logY ? Math.ceil(Math.log10(ymax * 1.1)) : ymax * 1.15;
        java.util.function.DoubleUnaryOperator sx = x -> x0 + (Math.log10(x) - lx0) / (lx1 - lx0) * w;
        java.util.function.DoubleUnaryOperator sy =
                y -> y0 + h - ((p.logY ? Math.log10(Math.max(y, 1e-9)) : y) - fy0) / (fy1 - fy0) * h;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(p.title, x0, y0 - 10);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawRect(x0, y0, w, h);
        for (Double x : series.values().iterator().next().keySet()) {
            int px = (int) sx.applyAsDouble(x);
            g.setColor(new Color(0xdddddd));
            g.drawLine(px, y0, px, y0 + h);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.0f", x), px - 10, y0 + h + 15);
        }
        g.drawString("concurrent streams (log scale)", x0 + w / 2 - 80, y0 + h + 32);
        int ticks = p.logY ? (int) Math.max(1, fy1 - fy0) : 5;
        for (int i = 0; i <= ticks; i++) {
            double v = p.logY ? Math.pow(10, fy0 + (fy1 - fy0) * i / ticks) : fy1 * i / ticks;
            int py = (int) sy.applyAsDouble(v);
            g.setColor(new Color(0xeeeeee));
            g.drawLine(x0, py, x0 + w, py);
            g.setColor(Color.BLACK);
            g.drawString(
                    v >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2g", v),
                    x0 - 45,
                    py + 4);
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 5}, 0));
        int ty = (int) sy.applyAsDouble(p.target);
        g.drawLine(x0, ty, x0 + w, ty);
        g.drawString("target " + (p.target >= 10 ? (int) p.target : p.target), x0 + w - 70, ty - 4);
        for (Map.Entry<String, TreeMap<Double, double[]>> s : series.entrySet()) {
            Color c = switch (s.getKey()) {
                case "engine" -> ENGINE;
                case "bare-handoff" -> BARE_HANDOFF;
                default -> BARE;
            };
            for (int k = 0; k < 2; k++) {
                g.setColor(c);
                g.setStroke(
                        k == 0
                                ? new BasicStroke(2.5f)
                                : new BasicStroke(
                                        1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {2, 4}, 0));
                int px = -1;
                int py = -1;
                for (Map.Entry<Double, double[]> e : s.getValue().entrySet()) {
                    double y = e.getValue()[k];
                    if (Double.isNaN(y)) {
                        continue;
                    }
                    int nx = (int) sx.applyAsDouble(e.getKey());
                    int ny = (int) sy.applyAsDouble(y);
                    if (k == 0) {
                        g.fillOval(nx - 4, ny - 4, 8, 8);
                    }
                    if (px >= 0) {
                        g.drawLine(px, py, nx, ny);
                    }
                    px = nx;
                    py = ny;
                }
            }
        }
        g.setStroke(new BasicStroke(1));
    }
}
