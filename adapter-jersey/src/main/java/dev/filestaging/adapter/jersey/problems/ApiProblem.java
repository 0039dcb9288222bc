package dev.filestaging.adapter.jersey.problems;

import java.util.Map;

/** A request that ends in a problem response; thrown anywhere in this adapter, turned into HTTP in one place. */
public final class ApiProblem extends RuntimeException {
    private final Problem problem;
    private final Map<String, String> headers;

    ApiProblem(Problem problem, Map<String, String> headers) {
        super(problem.code() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = Map.copyOf(headers);
    }

    ApiProblem(Problem problem) {
        this(problem, Map.of());
    }

    public Problem problem() {
        return problem;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The same problem, naming the request it answers. */
    public ApiProblem forRequest(String requestId) {
        return new ApiProblem(problem.forRequest(requestId), headers);
    }

    /** The same problem with its type's URI under {@code base} (see {@link Problem#typeUnder}). */
    public ApiProblem typeUnder(String base) {
        return new ApiProblem(problem.typeUnder(base), headers);
    }

    /** The same problem with one more header. */
    public ApiProblem with(String header, String value) {
        Map<String, String> more = new java.util.HashMap<>(headers);
        more.put(header, value);
        return new ApiProblem(problem, more);
    }
}
