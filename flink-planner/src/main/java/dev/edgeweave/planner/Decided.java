package dev.edgeweave.planner;

import java.util.ArrayList;
import java.util.List;

/** What the short-term agent's step produced: its records, and the class weights now in force (by class ordinal). */
public class Decided {
    public List<Outbound> records = new ArrayList<>();
    public double[] weights;
    public long windowEnd;

    public Decided() {
    }
}
