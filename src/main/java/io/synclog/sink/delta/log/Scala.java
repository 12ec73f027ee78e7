package io.synclog.sink.delta.log;

import java.util.ArrayList;
import java.util.List;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/** Java lists as the Scala sequences Delta's API takes. */
final class Scala {
  private Scala() {}

  static <T> Seq<T> seq(List<T> list) {
    return JavaConverters.asScalaBuffer(new ArrayList<>(list)).toSeq();
  }
}
