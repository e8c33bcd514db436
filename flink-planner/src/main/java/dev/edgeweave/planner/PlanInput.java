package dev.edgeweave.planner;

/** A long window with the class weights in force when it closed (by class ordinal; null for neutral). */
public class PlanInput {
    public LongWindow window;
    public double[] weights;

    public PlanInput() {
    }

    public PlanInput(LongWindow window, double[] weights) {
        this.window = window;
        this.weights = weights;
    }
}
