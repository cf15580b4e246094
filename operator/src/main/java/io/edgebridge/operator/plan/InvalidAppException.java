package io.edgebridge.operator.plan;

import java.util.List;

/** An EdgeApp that passed CRD validation but cannot be delivered as written; the message says why. */
public class InvalidAppException extends Exception {

    private final List<String> problems;

    public InvalidAppException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public InvalidAppException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
