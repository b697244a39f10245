package dev.runa.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.detect.DetectorFormat;
import dev.runa.detect.DetectorOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

/** --detector-format, --conf, --iou, --max-det: parsed, and turned into the library's DetectorOptions. */
class DetectorDecodingOptionsTest {
    @Test
    void defaultsAreTheLibrarys() {
        DetectorDecodingOptions o = Parsing.parse().decoding;
        assertEquals(DetectorOptions.defaults(4), o.settings(4));
        assertNull(o.format(), "auto: read from the graph");
        assertEquals("format=auto conf=0.25 iou=0.7 max_det=300", o.describe());
        assertEquals(DetectorOptions.defaults(1), new DetectorDecodingOptions().settings(1), "unparsed: the same");
    }

    @Test
    void givenValuesReachTheDetectorOptions() {
        DetectorDecodingOptions o = Parsing.parse(
                        "--detector-format", "YOLOv5", "--conf", "0.4", "--iou", "0.5", "--max-det", "7")
                .decoding;
        assertEquals(new DetectorOptions(DetectorFormat.YOLO_V5, 0.4, 0.5, 7, 2), o.settings(2));
        assertEquals(List.of(0.4, 0.5, 7), List.of(o.conf(), o.iou(), o.maxDet()));
        assertEquals("format=YOLOv5 conf=0.4 iou=0.5 max_det=7", o.describe());
        assertEquals(
                DetectorFormat.YOLO_V8,
                Parsing.parse("--detector-format", "yolo11").decoding.format());
        assertNull(Parsing.parse("--detector-format", " AUTO ").decoding.format());
    }

    @Test
    void badValuesAreRefused() {
        ParameterException p = assertThrows(ParameterException.class, () -> Parsing.parse("--conf", "high"));
        assertTrue(p.getMessage().contains("'--conf'"), p.getMessage());
        DetectorDecodingOptions bad = Parsing.parse("--detector-format", "yolov9000").decoding;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::format);
        assertTrue(e.getMessage().contains("yolov9000"), e.getMessage());
        // Range checks are the library record's, naming its field (the CLI's contract since runa detect).
        DetectorDecodingOptions conf = Parsing.parse("--conf", "2").decoding;
        assertThrows(IllegalArgumentException.class, () -> conf.settings(1));
        assertEquals(List.of("--detector-format", "--conf", "--iou", "--max-det"), DetectorDecodingOptions.NAMES);
    }
}
