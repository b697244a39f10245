package dev.runa.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Reads a PASCAL-VOC split: {@code ImageSets/Main/{split}.txt} lists image ids, one per line, and
 * {@code Annotations/{id}.xml} holds each image's objects.
 *
 * <p>Boxes follow Detectron2's VOC loader (the detector of the VOS benchmark): VOC's 1-based inclusive
 * {@code xmin, ymin} are shifted by -1, {@code xmax, ymax} kept, so the box covers the annotated pixels
 * in continuous 0-based coordinates.
 */
public final class VocAnnotations {
    private VocAnnotations() {}

    /** One annotated image. */
    public record VocImage(String id, String fileName, int width, int height, List<VocObject> objects) {
        public VocImage {
            objects = List.copyOf(objects);
        }
    }

    /** One object: dataset class name (e.g. {@code tvmonitor}), box, and the {@code difficult} flag. */
    public record VocObject(String name, Box box, boolean difficult) {}

    /** Reads every image of {@code split} under the VOC root (the folder holding Annotations and ImageSets). */
    public static List<VocImage> read(Path root, String split) throws IOException {
        Path list = root.resolve("ImageSets").resolve("Main").resolve(split + ".txt");
        List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        DocumentBuilder builder = secureBuilder();
        List<VocImage> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String id = lines.get(i).trim();
            if (id.isEmpty()) {
                continue;
            }
            if (id.contains("/") || id.contains("\\") || id.contains(" ")) {
                throw new MalformedDataException(list + " line " + (i + 1) + ": '" + id + "' is not an image id");
            }
            out.add(readImage(builder, root.resolve("Annotations").resolve(id + ".xml"), id));
        }
        return out;
    }

    /** Reads one annotation XML file. */
    public static VocImage readImage(Path xml, String id) throws IOException {
        return readImage(secureBuilder(), xml, id);
    }

    private static VocImage readImage(DocumentBuilder builder, Path xml, String id) throws IOException {
        Document doc;
        try {
            doc = builder.parse(xml.toFile());
        } catch (SAXException e) {
            throw new MalformedDataException(xml + ": not valid XML: " + e.getMessage(), e);
        }
        Element ann = doc.getDocumentElement();
        String fileName = optionalText(ann, "filename");
        Element size = child(xml, ann, "annotation", "size");
        int width = (int) number(xml, size, "annotation/size", "width");
        int height = (int) number(xml, size, "annotation/size", "height");
        List<VocObject> objects = new ArrayList<>();
        int k = 0;
        for (Node n = ann.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("object")) {
                String where = "annotation/object[" + k + "]";
                String name = optionalText(e, "name");
                if (name == null || name.isBlank()) {
                    throw new MalformedDataException(xml + " at " + where + "/name: missing");
                }
                String difficult = optionalText(e, "difficult");
                Element b = child(xml, e, where, "bndbox");
                String bw = where + "/bndbox";
                double xmin = number(xml, b, bw, "xmin");
                double ymin = number(xml, b, bw, "ymin");
                double xmax = number(xml, b, bw, "xmax");
                double ymax = number(xml, b, bw, "ymax");
                if (xmax < xmin - 1 || ymax < ymin - 1) {
                    throw new MalformedDataException(xml + " at " + bw + ": max below min");
                }
                objects.add(new VocObject(
                        name.trim(),
                        new Box(xmin - 1, ymin - 1, xmax, ymax),
                        difficult != null && difficult.trim().equals("1")));
                k++;
            }
        }
        return new VocImage(id, fileName == null ? id + ".jpg" : fileName.trim(), width, height, objects);
    }

    private static DocumentBuilder secureBuilder() throws IOException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // No DTDs, no external entities: annotation files are data, never instructions to fetch anything.
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b;
        } catch (ParserConfigurationException e) {
            throw new IOException("XML parser cannot be configured securely: " + e.getMessage(), e);
        }
    }

    private static Element firstChild(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }

    private static Element child(Path xml, Element parent, String where, String tag) throws MalformedDataException {
        Element e = firstChild(parent, tag);
        if (e == null) {
            throw new MalformedDataException(xml + " at " + where + "/" + tag + ": missing");
        }
        return e;
    }

    private static String optionalText(Element parent, String tag) {
        Element e = firstChild(parent, tag);
        return e == null ? null : e.getTextContent();
    }

    private static double number(Path xml, Element parent, String where, String tag) throws MalformedDataException {
        String t = optionalText(parent, tag);
        if (t == null) {
            throw new MalformedDataException(xml + " at " + where + "/" + tag + ": missing");
        }
        try {
            double v = Double.parseDouble(t.trim());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new MalformedDataException(xml + " at " + where + "/" + tag + ": '" + t.trim() + "' is not a number");
        }
    }
}
