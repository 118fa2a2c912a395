"""nbgrader settings for the course (see exercises/README.md)."""

import os

c = get_config()  # noqa: F821 (provided by nbgrader)
here = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = here
c.CourseDirectory.course_id = "facilitator-course"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(here, "gradebook.db")
# The answer line above each solution stays; only the solution goes.
c.ClearSolutions.code_stub = {"python": ""}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
# Never the shared default exchange, which other users can read.
c.Exchange.root = os.path.join(here, ".exchange")
# A looping answer cell stops after 30 s; huge outputs are cut.
c.ExecutePreprocessor.timeout = 30
c.ExecutePreprocessor.interrupt_on_timeout = True
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 50
