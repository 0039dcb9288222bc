package dev.filestaging.app;

import dev.filestaging.app.FaultyStore.Fault;
import dev.filestaging.app.FaultyStore.Kind;
import dev.filestaging.app.FaultyStore.Point;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;

/**
 * The random sequences of the model-based test of resumable uploads ({@link UploadsModel}): what a client does
 * (create, PATCH in every shape, HEAD, DELETE, one-request uploads and deletes of the same names), what an operator
 * does (restart) and what goes wrong (a full disk, {@code kill -9} at any step of an append, a creation or a
 * termination; idle uploads expiring), each routed to one of the instances sharing the storage.
 */
final class UploadsModelActions {

    /** Where a full disk can strike: before the storage call (a write: after some of its bytes). */
    private static final Set<Point> FULL_POINTS = Set.of(Point.RESERVE_BEFORE, Point.WRITE, Point.SYNC_BEFORE,
            Point.DECLARE_BEFORE, Point.COMMIT_BEFORE, Point.TERMINATE_BEFORE);

    /** Sequences and steps run, for the report. */
    final AtomicLong sequences = new AtomicLong();
    final AtomicLong steps = new AtomicLong();
    private final List<UploadsModel> open = new ArrayList<>();

    /** Chains of up to {@code maxSteps} actions on a new model of {@code world}'s making. */
    ActionChainArbitrary<UploadsModel> chains(Supplier<UploadsModel> world, int maxSteps) {
        return ActionChain.<UploadsModel>startWith(() -> {
                    closeAll();
                    UploadsModel model = world.get();
                    synchronized (open) {
                        open.add(model);
                    }
                    sequences.incrementAndGet();
                    return model;
                })
                .withAction(5, create())
                .withAction(10, patch())
                .withAction(1, status())
                .withAction(2, terminate())
                .withAction(2, deleteFile())
                .withAction(1, putFile())
                .withAction(1, restart())
                .withAction(1, expire())
                .withMaxTransformations(maxSteps);
    }

    /** Runs a chain with every invariant checked after every step. */
    void run(ActionChain<UploadsModel> chain) {
        chain.withInvariant("the model's invariants", model -> {
            try {
                model.check();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).run();
    }

    /** Closes the models of finished tries (their stores, directories or buckets). */
    void closeAll() {
        synchronized (open) {
            for (UploadsModel model : open) {
                model.close();
            }
            open.clear();
        }
    }

    private static Arbitrary<Integer> instances() {
        return Arbitraries.integers().between(0, 1);
    }

    private static Arbitrary<Integer> uploads() {
        return Arbitraries.integers().between(0, 7);
    }

    private static Arbitrary<Integer> names() {
        return Arbitraries.integers().between(0, UploadsModel.NAMES.size() - 1);
    }

    /** Mostly none; else a full disk or a kill at one of {@code points}. */
    private static Arbitrary<Optional<Fault>> faults(List<Point> points) {
        Arbitrary<Fault> fault = Combinators.combine(Arbitraries.of(points), Arbitraries.of(Kind.class),
                        Arbitraries.longs().between(0, 300_000))
                .as(Fault::new)
                .filter(f -> f.kind() == Kind.KILL || FULL_POINTS.contains(f.point()))
                .map(f -> f.point() == Point.WRITE ? f : new Fault(f.point(), f.kind(), 0));
        return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(Optional.<Fault>empty())),
                Tuple.of(2, fault.map(Optional::of)));
    }

    private static Action.Independent<UploadsModel> action(Predicate<UploadsModel> precondition,
                                                           Arbitrary<Transformer<UploadsModel>> transformer) {
        return new Action.Independent<>() {
            @Override
            public boolean precondition(UploadsModel model) {
                return precondition.test(model);
            }

            @Override
            public Arbitrary<Transformer<UploadsModel>> transformer() {
                return transformer;
            }
        };
    }

    private interface Step {
        void apply(UploadsModel model) throws IOException;
    }

    private Transformer<UploadsModel> step(String description, Step step) {
        return Transformer.mutate(description, model -> {
            steps.incrementAndGet();
            try {
                step.apply(model);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            model.tick();
        });
    }

    private static boolean anyUpload(UploadsModel model) {
        return !model.uploads.isEmpty();
    }

    private Action.Independent<UploadsModel> create() {
        Arbitrary<Long> lengths = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(0L)),
                Tuple.of(3, Arbitraries.longs().between(1, 2048)),
                Tuple.of(2, Arbitraries.longs().between(2049, 65_536)),
                Tuple.of(3, Arbitraries.longs().between(65_537, UploadsModel.MAX_BYTES)),
                Tuple.of(1, Arbitraries.longs().between(UploadsModel.MAX_BYTES + 1, UploadsModel.MAX_BYTES + 1000)),
                Tuple.of(4, Arbitraries.just(-1L)));
        Arbitrary<Long> planned = Arbitraries.longs().between(0, UploadsModel.MAX_BYTES);
        return action(model -> true, Combinators.combine(names(), lengths, planned, instances(),
                faults(List.of(Point.RESERVE_BEFORE, Point.RESERVE_AFTER, Point.SYNC_BEFORE, Point.COMMIT_BEFORE,
                        Point.COMMIT_AFTER))).as((name, length, plan, instance, fault) -> step(
                "create " + UploadsModel.NAMES.get(name) + " " + (length < 0 ? "deferred (" + plan + " bytes)"
                        : length + " bytes") + " on #" + instance + fault.map(f -> " " + f).orElse(""),
                model -> model.create(name, length, length < 0 ? plan : length, instance, fault.orElse(null)))));
    }

    private Action.Independent<UploadsModel> patch() {
        Arbitrary<UploadsModel.Size> sizes = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(UploadsModel.Size.WHOLE)),
                Tuple.of(4, Arbitraries.just(UploadsModel.Size.PART)),
                Tuple.of(1, Arbitraries.just(UploadsModel.Size.EMPTY)),
                Tuple.of(1, Arbitraries.just(UploadsModel.Size.OVER)),
                Tuple.of(2, Arbitraries.just(UploadsModel.Size.CROSS_QUOTA)));
        Arbitrary<Integer> offsetDeltas = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(0)),
                Tuple.of(1, Arbitraries.integers().between(-5000, 5000)));
        Arbitrary<UploadsModel.Check> checks = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(UploadsModel.Check.NONE)),
                Tuple.of(2, Arbitraries.just(UploadsModel.Check.GOOD)),
                Tuple.of(1, Arbitraries.just(UploadsModel.Check.BAD)));
        Arbitrary<Integer> cuts = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(-1)),
                Tuple.of(2, Arbitraries.integers().between(0, 100)));
        Arbitrary<UploadsModel.Declare> declarations = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.just(UploadsModel.Declare.NONE)),
                Tuple.of(3, Arbitraries.just(UploadsModel.Declare.EXACT)),
                Tuple.of(1, Arbitraries.just(UploadsModel.Declare.LATER)),
                Tuple.of(1, Arbitraries.just(UploadsModel.Declare.BELOW)),
                Tuple.of(1, Arbitraries.just(UploadsModel.Declare.TOO_LARGE)),
                Tuple.of(1, Arbitraries.just(UploadsModel.Declare.BEYOND_QUOTA)));
        Arbitrary<Optional<Fault>> faults = faults(List.of(Point.WRITE, Point.SYNC_BEFORE, Point.SYNC_AFTER,
                Point.DECLARE_BEFORE, Point.DECLARE_AFTER, Point.COMMIT_BEFORE, Point.COMMIT_AFTER));
        Arbitrary<int[]> where = Combinators.combine(uploads(), instances(), Arbitraries.integers().between(0, 100),
                Arbitraries.integers().between(0, 2000), offsetDeltas, cuts)
                .as((upload, instance, percent, extra, delta, cut) -> new int[] {upload, instance, percent, extra,
                        delta, cut});
        Arbitrary<UploadsModel.Patch> patches = Combinators.combine(where, sizes, checks, declarations, faults)
                .as((w, size, check, declare, fault) -> new UploadsModel.Patch(w[0], w[1], size, w[2], w[3], w[4],
                        check, w[5], declare, fault.orElse(null)));
        return action(UploadsModelActions::anyUpload, patches.map(p -> step("PATCH u" + p.upload() + " on #"
                + p.instance() + ": " + p.size() + (p.size() == UploadsModel.Size.PART ? " " + p.percent() + "%" : "")
                + (p.offsetDelta() != 0 ? ", offset " + (p.offsetDelta() > 0 ? "+" : "") + p.offsetDelta() : "")
                + (p.check() != UploadsModel.Check.NONE ? ", " + p.check() + " checksum" : "")
                + (p.cutPercent() >= 0 ? ", cut at " + p.cutPercent() + "%" : "")
                + (p.declare() != UploadsModel.Declare.NONE ? ", declare " + p.declare() : "")
                + (p.fault() != null ? ", " + p.fault() : ""), model -> model.patch(p))));
    }

    private Action.Independent<UploadsModel> status() {
        return action(UploadsModelActions::anyUpload, Combinators.combine(uploads(), instances()).as((u, i) ->
                step("HEAD u" + u + " on #" + i, model -> model.status(u, i))));
    }

    private Action.Independent<UploadsModel> terminate() {
        return action(UploadsModelActions::anyUpload, Combinators.combine(uploads(), instances(),
                faults(List.of(Point.TERMINATE_BEFORE, Point.TERMINATE_AFTER))).as((u, i, fault) -> step(
                "DELETE u" + u + " on #" + i + fault.map(f -> " " + f).orElse(""),
                model -> model.terminate(u, i, fault.orElse(null)))));
    }

    private Action.Independent<UploadsModel> deleteFile() {
        return action(model -> !model.files.isEmpty(), Combinators.combine(names(), instances()).as((n, i) ->
                step("delete file " + UploadsModel.NAMES.get(n) + " on #" + i, model -> model.deleteFile(n, i))));
    }

    private Action.Independent<UploadsModel> putFile() {
        return action(model -> true, Combinators.combine(names(), Arbitraries.integers().between(0, 200_000),
                instances()).as((n, size, i) -> step("one-request upload of " + UploadsModel.NAMES.get(n) + ", "
                + size + " bytes on #" + i, model -> model.putFile(n, size, i))));
    }

    private Action.Independent<UploadsModel> restart() {
        return action(model -> true, instances().map(i -> step("restart #" + i, model -> model.restart(i))));
    }

    private Action.Independent<UploadsModel> expire() {
        return action(model -> true, instances().map(i -> step("expiry sweep on #" + i, model -> model.expire(i))));
    }
}
