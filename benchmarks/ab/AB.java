import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.*;
import java.util.concurrent.*;
import java.util.function.Consumer;

/**
 * A/B comparison of two builds of the core in one JVM: each NAME=DIR argument loads the core's
 * classes from DIR (with ab/Adapter compiled against it, from ab.dir/adapter-NAME) in a class
 * loader of its own; NAME=tpe is the raw baseline (a ThreadPoolExecutor of limit threads, or a
 * virtual thread per task gated by a Semaphore). Rounds alternate the contenders (in a rotating
 * order), 100 batches of 1 000 trivial tasks each; prints the median time per batch and the
 * median per-round ratio of each contender to the last one. Usage: see run-ab.sh.
 */
public class AB {
    static volatile long sink;
    public static void main(String[] a) throws Exception {
        int limit = Integer.parseInt(a[0]);
        int rounds = Integer.parseInt(a[1]);
        boolean virtual = a[2].equals("virtual");
        List<String> names = new ArrayList<>();
        List<Consumer<Runnable>> cs = new ArrayList<>();
        for (int i = 3; i < a.length; i++) {
            String[] nv = a[i].split("=", 2);
            names.add(nv[0]);
            if (nv[1].equals("tpe")) {
                ExecutorService ex;
                if (virtual) {
                    ExecutorService v = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
                    Semaphore p = new Semaphore(limit);
                    cs.add(r -> v.execute(() -> { p.acquireUninterruptibly(); try { r.run(); } finally { p.release(); } }));
                } else {
                    ThreadPoolExecutor t = new ThreadPoolExecutor(limit, limit, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> { Thread th = new Thread(r); th.setDaemon(true); return th; });
                    cs.add(t::execute);
                }
            } else {
                // NAME+l: the same build with a listener that does nothing (the listener path's cost).
                String build = nv[0].endsWith("+l") ? nv[0].substring(0, nv[0].length() - 2) : nv[0];
                System.setProperty("ab.listener", String.valueOf(nv[0].endsWith("+l") || Boolean.getBoolean("ab.listener.all")));
                URL[] urls = { new File(System.getProperty("ab.dir", ".") + "/adapter-" + build).toURI().toURL(), new File(nv[1]).toURI().toURL() };
                ClassLoader cl = new URLClassLoader(urls, AB.class.getClassLoader());
                @SuppressWarnings("unchecked")
                Consumer<Runnable> c = (Consumer<Runnable>) cl.loadClass("ab.Adapter").getConstructor(int.class, boolean.class).newInstance(limit, virtual);
                cs.add(c);
            }
        }
        int n = cs.size();
        double[][] t = new double[n][rounds];
        int batches = 100;
        for (int w = 0; w < 3; w++) for (int i = 0; i < n; i++) run(cs.get(i), batches * 3);
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < n; k++) {
                int i = (k + r) % n;
                long t0 = System.nanoTime();
                run(cs.get(i), batches);
                t[i][r] = (System.nanoTime() - t0) / 1e3 / batches;
            }
        }
        StringBuilder sb = new StringBuilder("limit " + limit + " " + (virtual ? "virtual" : "platform") + ":");
        for (int i = 0; i < n; i++) sb.append(String.format(" %s %.1f us", names.get(i), median(t[i])));
        System.out.println(sb);
        // per-round ratios vs last contender (baseline)
        for (int i = 0; i < n - 1; i++) {
            double[] q = new double[rounds];
            for (int r = 0; r < rounds; r++) q[r] = t[i][r] / t[n - 1][r];
            System.out.printf("  %s / %s: median ratio %.2fx%n", names.get(i), names.get(n - 1), median(q));
        }
        System.exit(0);
    }
    static double median(double[] x) { double[] y = x.clone(); Arrays.sort(y); return y[y.length / 2]; }
    static void run(Consumer<Runnable> c, int batches) throws InterruptedException {
        for (int b = 0; b < batches; b++) {
            CountDownLatch done = new CountDownLatch(1000);
            Runnable task = done::countDown;
            for (int i = 0; i < 1000; i++) c.accept(task);
            if (!done.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("stuck");
        }
    }
}
