package dev.runa.spark;

import dev.runa.image.ImageDecodeException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads image files through Hadoop's FileSystem API with the driver's Hadoop configuration, so
 * that {@code file:}, {@code hdfs:} and {@code s3a:} paths work as the cluster configures them.
 * The configuration travels as plain entries (Hadoop's {@link Configuration} is not serializable)
 * and is rebuilt once per task.
 */
final class HadoopFiles implements Serializable {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, String> entries;
    private transient Configuration conf;

    HadoopFiles(Configuration driverConf) {
        this.entries = new HashMap<>();
        for (Map.Entry<String, String> e : driverConf) {
            entries.put(e.getKey(), e.getValue());
        }
    }

    /**
     * The whole file at {@code location} (a path or URI).
     *
     * @throws ImageDecodeException worded as {@code runa score} words a missing or unreadable file
     */
    byte[] read(String location) {
        try {
            return readFile(location);
        } catch (FileNotFoundException e) {
            throw new ImageDecodeException(location, "file not found", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new ImageDecodeException(location, "cannot read file: " + e.getMessage(), e);
        }
    }

    /**
     * The whole file at {@code location} (a path or URI), for files that are not images (a detector).
     *
     * @throws FileNotFoundException when it does not exist
     * @throws IOException           when it cannot be read
     */
    byte[] readFile(String location) throws IOException {
        Path p = new Path(location);
        FileSystem fs = p.getFileSystem(conf());
        try (InputStream in = fs.open(p)) {
            return in.readAllBytes();
        }
    }

    private Configuration conf() {
        if (conf == null) {
            Configuration c = new Configuration(false);
            entries.forEach(c::set);
            conf = c;
        }
        return conf;
    }
}
