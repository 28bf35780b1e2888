package io.plenum.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;

/**
 * {@code latest.png}: for every row and peer, a bar from the 1× line to how many times
 * better Plenum did (right of the line: Plenum better; left: the peer better), on a
 * log₂ axis so that 2× and 0.5× look equally far from even. Drawn headless with AWT.
 */
final class ChartReport {

    private static final Color[] PALETTE = {
            new Color(0x4C72B0), new Color(0xDD8452), new Color(0x55A868),
            new Color(0xC44E52), new Color(0x8172B3), new Color(0x937860)};
    private static final int WIDTH = 1200;
    private static final int BAR = 18;
    private static final int BAR_GAP = 3;
    private static final int GROUP_GAP = 14;
    private static final int TOP = 96;
    private static final int BOTTOM = 56;
    private static final int RIGHT = 70;

    private record Bar(String peer, double ratio) {
    }

    private record Group(String label, List<Bar> bars) {
    }

    private ChartReport() {
    }

    static void write(Report report, Path file) throws IOException {
        List<String> peers = report.table().peerNames();
        List<Group> groups = groups(report, peers);
        int height = TOP + BOTTOM + groups.stream()
                .mapToInt(g -> Math.max(1, g.bars().size()) * (BAR + BAR_GAP) + GROUP_GAP).sum();

        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            draw(g, report, peers, groups, height);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer in this JDK");
        }
    }

    private static List<Group> groups(Report report, List<String> peers) {
        List<Group> groups = new ArrayList<>();
        for (Row row : report.table().rows()) {
            List<Bar> bars = new ArrayList<>();
            for (String peer : peers) {
                OptionalDouble r = row.advantageOver(peer, false);
                r.ifPresent(v -> bars.add(new Bar(peer, v)));
            }
            String label = row.name() + "  " + row.unit() + (row.isLatency() ? " p50" : "") + "  " + row.key().shape();
            groups.add(new Group(label, bars));
        }
        return groups;
    }

    private static void draw(Graphics2D g, Report report, List<String> peers, List<Group> groups, int height) {
        Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        Font bold = new Font(Font.SANS_SERIF, Font.BOLD, 16);
        g.setFont(plain);
        FontMetrics fm = g.getFontMetrics();
        int left = 30 + groups.stream().mapToInt(gr -> fm.stringWidth(gr.label())).max().orElse(100);
        int plotWidth = WIDTH - left - RIGHT;

        double lo = 0.5;
        double hi = 2.0;
        for (Group gr : groups) {
            for (Bar b : gr.bars()) {
                lo = Math.min(lo, b.ratio());
                hi = Math.max(hi, b.ratio());
            }
        }
        int loExp = (int) Math.floor(log2(lo));
        int hiExp = (int) Math.ceil(log2(hi));
        Axis axis = new Axis(left, plotWidth, loExp, hiExp);

        g.setColor(Color.BLACK);
        g.setFont(bold);
        g.drawString("Plenum vs peers: how many times better Plenum is (right of 1× = Plenum better)", 20, 28);
        g.setFont(plain);
        g.setColor(Color.DARK_GRAY);
        g.drawString("ops/s rows: Plenum ÷ peer;  ns rows: peer ÷ Plenum at p50 (each includes a "
                + report.machine().nanoTimeNs() + " ns clock read).  "
                + (report.run().quick() ? "Quick smoke pass: rough numbers." : "Full run."), 20, 48);
        g.drawString(report.machine().summary(), 20, 66);
        legend(g, peers, left, 84);

        int plotTop = TOP;
        int plotBottom = height - BOTTOM;
        for (int e = loExp; e <= hiExp; e++) {
            int x = axis.x(Math.pow(2, e));
            g.setColor(e == 0 ? Color.BLACK : new Color(0xDDDDDD));
            g.setStroke(new BasicStroke(e == 0 ? 2f : 1f));
            g.drawLine(x, plotTop - 4, x, plotBottom);
            g.setColor(Color.DARK_GRAY);
            String tick = Numbers.ratio(Math.pow(2, e)).replace(".00", "");
            g.drawString(tick, x - fm.stringWidth(tick) / 2, plotBottom + 18);
        }
        g.drawString("← peer better", left, plotBottom + 40);
        String right = "Plenum better →";
        g.drawString(right, left + plotWidth - fm.stringWidth(right), plotBottom + 40);

        int y = plotTop;
        g.setStroke(new BasicStroke(1f));
        for (Group gr : groups) {
            int groupHeight = Math.max(1, gr.bars().size()) * (BAR + BAR_GAP);
            g.setColor(Color.BLACK);
            g.drawString(gr.label(), left - 10 - fm.stringWidth(gr.label()), y + groupHeight / 2 + fm.getAscent() / 2 - 2);
            if (gr.bars().isEmpty()) {
                g.setColor(Color.GRAY);
                g.drawString("no Plenum/peer pair measured", axis.x(1) + 6, y + BAR - 4);
            }
            for (Bar b : gr.bars()) {
                int x1 = axis.x(1);
                int x2 = axis.x(b.ratio());
                g.setColor(PALETTE[peers.indexOf(b.peer()) % PALETTE.length]);
                g.fillRect(Math.min(x1, x2), y, Math.max(1, Math.abs(x2 - x1)), BAR);
                g.setColor(Color.BLACK);
                String text = Numbers.ratio(b.ratio()) + " vs " + b.peer();
                int tx = x2 >= x1 ? x2 + 4 : x2 - 4 - fm.stringWidth(text);
                g.drawString(text, tx, y + BAR - 4);
                y += BAR + BAR_GAP;
            }
            if (gr.bars().isEmpty()) {
                y += BAR + BAR_GAP;
            }
            y += GROUP_GAP;
            g.setColor(new Color(0xEEEEEE));
            g.drawLine(20, y - GROUP_GAP / 2, WIDTH - 20, y - GROUP_GAP / 2);
        }
    }

    private static void legend(Graphics2D g, List<String> peers, int x, int y) {
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < peers.size(); i++) {
            g.setColor(PALETTE[i % PALETTE.length]);
            g.fillRect(x, y - 10, 12, 12);
            g.setColor(Color.BLACK);
            String text = "vs " + peers.get(i);
            g.drawString(text, x + 16, y);
            x += 16 + fm.stringWidth(text) + 24;
        }
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    /** Maps a ratio to a pixel column on a log₂ scale from 2^lo to 2^hi. */
    private record Axis(int left, int width, int lo, int hi) {
        int x(double ratio) {
            return left + (int) Math.round((log2(ratio) - lo) / (hi - lo) * width);
        }
    }
}
